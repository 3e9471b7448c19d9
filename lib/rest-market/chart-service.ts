// Price history for REST: cached per symbol, range and interval (CHART_CACHE_TTL_SECONDS), fetched
// once across processes on a miss, the last known chart served when the provider fails. A symbol
// the provider does not know is remembered as unknown, as the pipeline does.
import type { ChartInterval, ChartPoint, ChartRange } from '../providers/provider.js';
import type { UnknownSymbols } from '../demand/unknown-symbols.js';
import { isSymbolNotFound, symbolNotFound } from './market-errors.js';
import { serveDocument, type DocumentServiceDeps, type Served } from './serve-document.js';

export interface ChartRequest {
  readonly symbol: string;
  readonly range: ChartRange;
  readonly interval: ChartInterval;
}

export interface ChartService {
  /** The request already validated against chartOptionsOf(provider.capabilities). */
  chart(request: ChartRequest): Promise<Served<readonly ChartPoint[]>>;
}

export interface ChartServiceDeps extends DocumentServiceDeps<readonly ChartPoint[]> {
  readonly unknown: UnknownSymbols;
}

export function createChartService({ provider, call, cache, keys, flight, unknown, logger }: ChartServiceDeps): ChartService {
  async function load({ symbol, range, interval }: ChartRequest): Promise<readonly ChartPoint[]> {
    try {
      return await call('chart', () => provider.chart(symbol, range, interval));
    } catch (error) {
      if (!isSymbolNotFound(error)) throw error;
      await unknown.mark([symbol]).catch(() => undefined);
      throw symbolNotFound(symbol);
    }
  }

  return {
    async chart(request) {
      const { symbol, range, interval } = request;
      const key = keys.chart(symbol, range, interval);
      const failIfUnknown = async () => {
        const known = await unknown.withoutUnknown([symbol]).catch(() => [symbol]);
        if (known.length === 0) throw symbolNotFound(symbol);
      };
      await failIfUnknown();
      return serveDocument({ cache, key, flight, flightName: `chart:${symbol}:${range}:${interval}`, load: () => load(request), whileWaiting: failIfUnknown, logger });
    },
  };
}
