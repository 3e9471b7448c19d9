// A market that runs offline: every symbol walks deterministically with the clock, so demos need no
// network and every process shows the same prices. Quotes carry `source: "simulated"`.
import { CHART_INTERVAL_MS, chartRangeStart } from '../chart-range.js';
import type { ChartPoint, ProviderQuote, QuoteProvider, SearchResult } from '../provider.js';
import { simulateBar, simulatedSymbol, simulateQuote } from './simulated-quote.js';
import { SIMULATED_UNIVERSE } from './universe.js';

/** A chart never has more bars than this; a long range at a fine interval keeps the latest ones. */
const MAX_CHART_POINTS = 1000;

export function createSimulatedProvider(): QuoteProvider {
  return {
    name: 'simulated',
    capabilities: { maxSymbolsPerRequest: 100 },

    async getQuotes(symbols) {
      const at = Date.now();
      return { quotes: [...new Set(symbols)].map((symbol) => simulateQuote(symbol, at)), missing: [] };
    },

    async search(query, limit) {
      const wanted = query.toUpperCase();
      const bySymbol = SIMULATED_UNIVERSE.filter((listing) => listing.symbol.startsWith(wanted));
      const byName = SIMULATED_UNIVERSE.filter((listing) => !bySymbol.includes(listing) && listing.name.toUpperCase().includes(wanted));
      return [...bySymbol, ...byName]
        .slice(0, limit)
        .map((listing): SearchResult => ({ symbol: listing.symbol, name: listing.name, exchange: 'SIM', type: listing.type }));
    },

    async chart(symbol, range, interval) {
      const at = Date.now();
      const lengthMs = CHART_INTERVAL_MS[interval];
      const earliest = Math.max(chartRangeStart(range, new Date(at)).getTime(), at - MAX_CHART_POINTS * lengthMs);
      const sym = simulatedSymbol(symbol);
      const points: ChartPoint[] = [];
      for (let start = Math.ceil(earliest / lengthMs) * lengthMs; start <= at; start += lengthMs) {
        points.push(simulateBar(sym, start, lengthMs, at));
      }
      return points;
    },

    async movers(count) {
      const at = Date.now();
      const quotes = SIMULATED_UNIVERSE.filter((listing) => listing.type === 'EQUITY').map((listing) => simulateQuote(listing.symbol, at));
      const byChange = (quote: ProviderQuote) => quote.changePercent ?? 0;
      return {
        gainers: quotes.filter((quote) => byChange(quote) > 0).sort((a, b) => byChange(b) - byChange(a)).slice(0, count),
        losers: quotes.filter((quote) => byChange(quote) < 0).sort((a, b) => byChange(a) - byChange(b)).slice(0, count),
      };
    },
  };
}
