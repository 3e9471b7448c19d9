// The chart of the selected symbol: its daily closes over a month, six months or a year from
// `/api/stock/:symbol/chart`, drawn with uPlot, and a last point that follows `stock_update`. The
// caption says in words what the chart shows, for screen readers and for anyone who would rather
// read it; the figure's data-* attributes say the same for tests and tools.
import uPlot from '/vendor/uPlot.esm.js';
import { getChart } from './api.js';
import { formatPercent, formatPrice } from './format.js';

export const CHART_RANGES = [
  { range: '1mo', label: '1M', words: '1 month' },
  { range: '6mo', label: '6M', words: '6 months' },
  { range: '1y', label: '1Y', words: '1 year' },
];
const INTERVAL = '1d';
const HEIGHT = 220;

const cssVariable = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const DAY_SECONDS = 86_400;
const sameUtcDay = (a, b) => Math.floor(a / DAY_SECONDS) === Math.floor(b / DAY_SECONDS);

/**
 * `latestQuote(symbol)` is the newest quote the page has: a loaded chart ends at it at once rather
 * than at the provider's last bar, which may be minutes old.
 */
export function createChartPanel(ui, { latestQuote, onError }) {
  const { view, title, name, ranges, figure, plotArea, caption, close } = ui;
  let symbol = null;
  let range = CHART_RANGES[0];
  let times = [];
  let closes = [];
  let plot = null;
  let loading = 0;

  function describe() {
    if (closes.length === 0) {
      caption.textContent = `No chart data for ${symbol} over ${range.words}.`;
      return;
    }
    const first = closes[0];
    const last = closes.at(-1);
    const change = first ? ((last - first) / first) * 100 : null;
    caption.textContent = `${symbol} over ${range.words}: ${formatPrice(first)} → ${formatPrice(last)} (${formatPercent(change)}), ${closes.length} daily closes; the last one moves with live prices.`;
    figure.dataset.points = String(closes.length);
    figure.dataset.firstClose = String(first);
    figure.dataset.lastClose = String(last);
    figure.dataset.lastTime = new Date(times.at(-1) * 1000).toISOString();
  }

  function draw() {
    if (!plot) {
      const axis = { stroke: cssVariable('--muted'), grid: { stroke: cssVariable('--border'), width: 1 }, ticks: { stroke: cssVariable('--border') } };
      plot = new uPlot(
        {
          width: Math.max(plotArea.clientWidth, 200),
          height: HEIGHT,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          series: [{}, { label: 'Close', stroke: cssVariable('--accent'), width: 2, points: { show: false } }],
          axes: [axis, { ...axis, size: 64, values: (_u, values) => values.map((value) => formatPrice(value)) }],
        },
        [times, closes],
        plotArea,
      );
    } else plot.setData([times, closes]);
    describe();
  }

  /** Today's close becomes the quote's price (or a new day starts); false for a quote older than the chart. */
  function merge(quote) {
    if (typeof quote.price !== 'number') return false;
    if (quote.shortName) name.textContent = quote.shortName;
    const at = Date.parse(quote.timestamp ?? quote.fetchedAt) / 1000;
    const last = times.at(-1);
    if (last !== undefined && sameUtcDay(at, last)) closes[closes.length - 1] = quote.price;
    else if (last === undefined || at > last) {
      times.push(at);
      closes.push(quote.price);
    } else return false;
    return true;
  }

  async function load() {
    const asked = { symbol, range };
    const ticket = ++loading;
    figure.dataset.state = 'loading';
    for (const button of ranges.querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.range === range.range));
    try {
      const { points } = await getChart(asked.symbol, asked.range.range, INTERVAL);
      // Another symbol or range was chosen meanwhile: that answer wins.
      if (ticket !== loading) return;
      const usable = points.filter((point) => typeof point.close === 'number');
      times = usable.map((point) => Date.parse(point.time) / 1000);
      closes = usable.map((point) => point.close);
      figure.dataset.symbol = asked.symbol;
      figure.dataset.range = asked.range.range;
      figure.dataset.state = 'ready';
      const quote = latestQuote(asked.symbol);
      if (quote) merge(quote);
      draw();
    } catch (error) {
      if (ticket !== loading) return;
      figure.dataset.state = 'error';
      caption.textContent = `The chart of ${asked.symbol} could not be loaded.`;
      onError(error);
    }
  }

  for (const option of CHART_RANGES) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'range';
    button.dataset.range = option.range;
    button.textContent = option.label;
    // The visible text stays part of the name ("1M, 1 month"), so voice control finds it by what it shows.
    button.setAttribute('aria-label', `${option.label}, ${option.words}`);
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', () => {
      range = option;
      load();
    });
    ranges.append(button);
  }
  close.addEventListener('click', () => panel.hide());
  new ResizeObserver(() => plot?.setSize({ width: Math.max(plotArea.clientWidth, 200), height: HEIGHT })).observe(plotArea);

  const panel = {
    get symbol() {
      return symbol;
    },

    show(nextSymbol, shortName) {
      symbol = nextSymbol;
      title.textContent = nextSymbol;
      name.textContent = shortName ?? '';
      view.hidden = false;
      load();
    },

    hide() {
      symbol = null;
      loading += 1;
      view.hidden = true;
      plot?.destroy();
      plot = null;
    },

    /** A live quote of the charted symbol moves today's close, or starts a new day's point. */
    applyQuote(quote) {
      if (quote.symbol === symbol && figure.dataset.state === 'ready' && merge(quote)) draw();
    },
  };
  return panel;
}
