// Price history for REST: cached per symbol, range and interval (CHART_CACHE_TTL_SECONDS), fetched
// once across processes on a miss, the last known chart served when the provider fails. A symbol
// the provider does not know is remembered as unknown, as the pipeline does.
import type { ChartInterval, ChartPoint, ChartRange } from '../providers/provider.js';
import type { UnknownSymbols } from '../demand/unknown-symbols.js';
import { isSymbolNotFound, symbolNotFound } from './market-errors.js';
import type { DocumentServiceDeps } from './serve-document.js';

type ChartServiceDeps = DocumentServiceDeps<readonly ChartPoint[]> & { readonly unknown: UnknownSymbols };

export function createChartService({ provider, call, keys, serve, unknown }: ChartServiceDeps) {
  async function load(symbol: string, range: ChartRange, interval: ChartInterval): Promise<readonly ChartPoint[]> {
    try {
      return await call('chart', () => provider.chart(symbol, range, interval));
    } catch (error) {
      if (!isSymbolNotFound(error)) throw error;
      await unknown.mark([symbol]).catch(() => undefined);
      throw symbolNotFound(symbol);
    }
  }

  const failIfUnknown = async (symbol: string) => {
    const known = await unknown.withoutUnknown([symbol]).catch(() => [symbol]);
    if (known.length === 0) throw symbolNotFound(symbol);
  };

  return {
    /** The request already validated against chartOptionsOf(provider.capabilities). */
    async chart({ symbol, range, interval }: { symbol: string; range: ChartRange; interval: ChartInterval }) {
      await failIfUnknown(symbol);
      return serve({
        key: keys.chart(symbol, range, interval),
        load: () => load(symbol, range, interval),
        whileWaiting: () => failIfUnknown(symbol),
      });
    },
  };
}
