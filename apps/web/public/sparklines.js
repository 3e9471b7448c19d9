// A sparkline of the day in each watchlist row: the symbol's intraday closes from
// `/api/stock/:symbol/chart?range=1d&interval=5m`, drawn as a small SVG line that live quotes
// extend. Where the provider has no intraday data the cell stays empty. The page asks for a few
// symbols at a time and stops asking for a while when the API says it is asked too often, so a
// long watchlist never spends the per-IP limit the rest of the page needs.
import { ApiError, getChart } from './api.js';
import { formatPrice } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 100;
const HEIGHT = 28;
const IN_FLIGHT = 2;
/** The day's line is asked for again this often (the API caches charts for longer anyway). */
const RELOAD_MS = 10 * 60_000;
const BACK_OFF_MS = 60_000;
/** A page left open all day keeps only the latest points (a few hundred pixels could not show more). */
const MAX_POINTS = 400;

function pathOf(values) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  return values
    .map((value, index) => {
      const x = values.length === 1 ? WIDTH : (index / (values.length - 1)) * WIDTH;
      const y = HEIGHT - 2 - ((value - low) / span) * (HEIGHT - 4);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

export function createSparklines({ cellOf }) {
  const lines = new Map();
  const queue = [];
  let running = 0;
  let pausedUntil = 0;

  function render(symbol) {
    const line = lines.get(symbol);
    const cell = cellOf(symbol);
    if (!line || !cell) return;
    if (line.values.length < 2) {
      cell.replaceChildren();
      return;
    }
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    const first = line.values[0];
    const last = line.values.at(-1);
    svg.setAttribute('aria-label', `${symbol} today: ${formatPrice(first)} to ${formatPrice(last)}`);
    svg.dataset.sign = last > first ? 'up' : last < first ? 'down' : 'flat';
    const polyline = document.createElementNS(SVG, 'polyline');
    polyline.setAttribute('points', pathOf(line.values));
    polyline.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(polyline);
    cell.replaceChildren(svg);
    cell.dataset.points = String(line.values.length);
  }

  async function fetchDay(symbol) {
    try {
      const { points } = await getChart(symbol, '1d', '5m');
      const line = lines.get(symbol);
      if (!line) return;
      line.values = [...points.map((point) => point.close).filter((close) => typeof close === 'number'), ...line.live];
      line.loadedAt = Date.now();
      render(symbol);
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        pausedUntil = Date.now() + BACK_OFF_MS;
        queue.push(symbol);
      }
      // Anything else: no sparkline for this symbol, the row works without it.
    }
  }

  function pump() {
    while (running < IN_FLIGHT && queue.length > 0 && Date.now() >= pausedUntil) {
      const symbol = queue.shift();
      if (!lines.has(symbol)) continue;
      running += 1;
      fetchDay(symbol).finally(() => {
        running -= 1;
        pump();
      });
    }
    if (queue.length > 0 && running === 0) setTimeout(pump, Math.max(pausedUntil - Date.now(), 0) + 100);
  }

  return {
    /** Starts (or refreshes, when old) the day's line of a symbol just added to the board. */
    load(symbol) {
      const line = lines.get(symbol);
      if (line && Date.now() - line.loadedAt < RELOAD_MS) return render(symbol);
      if (!line) lines.set(symbol, { values: [], live: [], loadedAt: 0 });
      queue.push(symbol);
      pump();
    },

    forget(symbol) {
      lines.delete(symbol);
    },

    /** A live price extends the day's line (only a changed price: a flat update adds nothing). */
    applyQuote(quote) {
      const line = lines.get(quote.symbol);
      if (!line || typeof quote.price !== 'number' || line.values.at(-1) === quote.price) return;
      line.values.push(quote.price);
      line.live.push(quote.price);
      if (line.values.length > MAX_POINTS) line.values.shift();
      if (line.live.length > MAX_POINTS) line.live.shift();
      render(quote.symbol);
    },
  };
}
