// The table of watched symbols and their quotes: one row per symbol, kept in alphabetical order,
// built with DOM calls and textContent only (nothing from the network is ever parsed as HTML).
// A row shows which way its price last moved, flashes on each move, and says when it is stale.
import { formatChange, formatPercent, formatPrice, formatTime, signOf } from './format.js';

/** Nothing heard about a quote for this long (neither live nor from a refresh): treat it as stale. */
export const SILENCE_MS = 120_000;

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function buildRow(symbol) {
  const row = element('tr');
  row.dataset.symbol = symbol;
  row.dataset.direction = 'none';
  row.dataset.stale = 'false';

  const head = element('th', 'symbol');
  head.scope = 'row';
  // The symbol is a button: choosing it shows the symbol's chart.
  const select = element('button', 'select');
  select.type = 'button';
  select.dataset.select = symbol;
  select.setAttribute('aria-pressed', 'false');
  select.title = `Show the chart of ${symbol}`;
  const name = element('span', 'name');
  select.append(element('span', 'ticker', symbol), name);
  head.append(select);

  const price = element('td', 'price');
  const arrow = element('span', 'arrow');
  arrow.setAttribute('aria-hidden', 'true');
  const priceValue = element('span', 'price-value', '…');
  const currency = element('span', 'currency');
  price.append(arrow, priceValue, currency);

  const change = element('td', 'change', '—');
  const percent = element('td', 'change-percent', '—');
  const trend = element('td', 'trend');

  const updated = element('td', 'updated');
  const time = element('time', '', 'waiting…');
  const stale = element('span', 'stale-badge', 'stale');
  stale.hidden = true;
  updated.append(time, stale);

  const actions = element('td', 'actions');
  const remove = element('button', 'remove', '×');
  remove.type = 'button';
  remove.dataset.remove = symbol;
  remove.title = `Remove ${symbol} from the watchlist`;
  remove.setAttribute('aria-label', `Remove ${symbol}`);
  actions.append(remove);

  row.append(head, price, change, percent, trend, updated, actions);
  return { symbol, row, select, name, arrow, priceValue, currency, change, percent, trend, time, stale, quote: null, heardAt: Date.now() };
}

/**
 * A quote older than the one shown is dropped (API.md's `seq`), unless it was fetched later: seq
 * starts again at 1 when the server's cache is lost, and such quotes must not be ignored forever.
 */
function isLate(quote, shown) {
  return shown !== null && quote.seq < shown.seq && !(Date.parse(quote.fetchedAt) > Date.parse(shown.fetchedAt));
}

/** Restarts the flash even when the previous one is still running. */
function flash(row, direction) {
  row.classList.remove('flash-up', 'flash-down');
  void row.offsetWidth;
  row.classList.add(`flash-${direction}`);
}

export function createQuoteBoard(tbody, { onRemove, onSelect, onCountChange }) {
  const entries = new Map();

  tbody.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const remove = target?.closest('button[data-remove]');
    if (remove) onRemove(remove.dataset.remove);
    const select = target?.closest('button[data-select]');
    if (select) onSelect(select.dataset.select);
  });
  tbody.addEventListener('animationend', (event) => {
    event.target.closest?.('tr')?.classList.remove('flash-up', 'flash-down');
  });

  function markStaleness(entry, now) {
    const silent = now - entry.heardAt > SILENCE_MS;
    const stale = entry.quote !== null && (entry.quote.stale === true || silent);
    entry.row.dataset.stale = String(stale);
    entry.stale.hidden = !stale;
    entry.stale.title = entry.quote?.stale ? 'The provider has not refreshed this quote recently' : `No update for over ${SILENCE_MS / 60_000} minutes`;
  }

  function render(entry, previous) {
    const { quote } = entry;
    entry.name.textContent = quote.shortName ?? '';
    entry.priceValue.textContent = formatPrice(quote.price);
    entry.currency.textContent = quote.currency ?? '';
    entry.change.textContent = formatChange(quote.change, quote.price);
    entry.change.dataset.sign = signOf(quote.change);
    entry.percent.textContent = formatPercent(quote.changePercent);
    entry.percent.dataset.sign = signOf(quote.changePercent);
    const at = quote.timestamp ?? quote.fetchedAt;
    entry.time.dateTime = at ?? '';
    entry.time.textContent = formatTime(at);
    entry.time.title = `Market time ${quote.timestamp ?? 'unknown'}, fetched ${quote.fetchedAt}`;
    // The direction stays until the price moves again, so an unchanged update does not erase it.
    if (previous && isNumber(previous.price) && isNumber(quote.price) && quote.price !== previous.price) {
      const direction = quote.price > previous.price ? 'up' : 'down';
      entry.row.dataset.direction = direction;
      entry.arrow.textContent = direction === 'up' ? '▲' : '▼';
      flash(entry.row, direction);
    }
    markStaleness(entry, Date.now());
  }

  function insertSorted(entry) {
    const after = [...entries.values()].filter((other) => other.symbol > entry.symbol).sort((a, b) => (a.symbol < b.symbol ? -1 : 1))[0];
    tbody.insertBefore(entry.row, after?.row ?? null);
    entries.set(entry.symbol, entry);
  }

  const board = {
    symbols: () => [...entries.keys()],
    has: (symbol) => entries.has(symbol),
    /** The latest quote shown for a symbol, or null. */
    quoteOf: (symbol) => entries.get(symbol)?.quote ?? null,
    /** The row's cell for the day's sparkline. */
    trendCell: (symbol) => entries.get(symbol)?.trend ?? null,

    /** Marks the row whose chart is shown (none for null). */
    select(symbol) {
      for (const entry of entries.values()) {
        const selected = entry.symbol === symbol;
        entry.row.dataset.selected = String(selected);
        entry.select.setAttribute('aria-pressed', String(selected));
      }
    },

    /** False when the symbol is already on the board. */
    add(symbol) {
      if (entries.has(symbol)) return false;
      insertSorted(buildRow(symbol));
      onCountChange(entries.size);
      return true;
    },

    remove(symbol) {
      const entry = entries.get(symbol);
      if (!entry) return;
      entry.row.remove();
      entries.delete(symbol);
      onCountChange(entries.size);
    },

    clear() {
      for (const symbol of board.symbols()) board.remove(symbol);
    },

    /** A quote from `stock_update` or a refresh; false (ignored) for symbols not on the board and late ones. */
    apply(quote) {
      const entry = entries.get(quote.symbol);
      if (!entry || isLate(quote, entry.quote)) return false;
      const previous = entry.quote;
      entry.quote = quote;
      entry.heardAt = Date.now();
      render(entry, previous);
      return true;
    },

    /** Makes the board match the server's watchlist (its quotes through `apply`); says which symbols came and went. */
    sync(items, apply = board.apply) {
      const wanted = new Set(items.map((item) => item.symbol));
      const removed = board.symbols().filter((symbol) => !wanted.has(symbol));
      for (const symbol of removed) board.remove(symbol);
      const added = items.filter((item) => board.add(item.symbol)).map((item) => item.symbol);
      for (const item of items) if (item.quote) apply(item.quote);
      return { added, removed };
    },

    /** Marks quotes nothing was heard about for SILENCE_MS; called every few seconds. */
    checkSilence() {
      const now = Date.now();
      for (const entry of entries.values()) markStaleness(entry, now);
    },
  };
  return board;
}
