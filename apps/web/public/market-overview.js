// The market overview panel: the three indices, the day's gainers and losers from
// `/api/market/overview`, each a button that adds the symbol to the watchlist.
import { getMarketOverview } from './api.js';
import { formatPercent, formatPrice, signOf } from './format.js';
import { polling } from './polling.js';

/** The API keeps the overview for 5 minutes; asking more often would only repeat it. */
const REFRESH_MS = 60_000;
const PER_LIST = 5;

function entry(quote, onAdd) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'mover';
  button.dataset.symbol = quote.symbol;
  button.title = `Add ${quote.symbol} to the watchlist`;
  const symbol = document.createElement('span');
  symbol.className = 'mover-symbol';
  symbol.textContent = quote.symbol;
  const name = document.createElement('span');
  name.className = 'mover-name';
  name.textContent = quote.shortName ?? '';
  const price = document.createElement('span');
  price.className = 'mover-price';
  price.textContent = formatPrice(quote.price);
  const change = document.createElement('span');
  change.className = 'mover-change';
  change.dataset.sign = signOf(quote.changePercent);
  change.textContent = formatPercent(quote.changePercent);
  button.setAttribute('aria-label', `${quote.symbol}${quote.shortName ? ` (${quote.shortName})` : ''}, ${price.textContent}, ${change.textContent}: add to watchlist`);
  button.append(symbol, name, price, change);
  button.addEventListener('click', () => onAdd(quote.symbol));
  item.append(button);
  return item;
}

export function createMarketOverview({ view, indices, gainers, losers, asOf }, { onAdd }) {
  async function refresh() {
    try {
      const overview = await getMarketOverview();
      indices.replaceChildren(...overview.indices.map((quote) => entry(quote, onAdd)));
      gainers.replaceChildren(...overview.gainers.slice(0, PER_LIST).map((quote) => entry(quote, onAdd)));
      losers.replaceChildren(...overview.losers.slice(0, PER_LIST).map((quote) => entry(quote, onAdd)));
      asOf.dateTime = overview.asOf;
      asOf.textContent = new Date(overview.asOf).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
      view.hidden = false;
      view.dataset.state = 'ready';
    } catch {
      // Without an overview the page still works; the panel keeps what it showed, or stays away.
      view.dataset.state = 'error';
    }
  }

  const poll = polling(refresh, REFRESH_MS);
  return {
    start: poll.start,
    stop() {
      poll.stop();
      view.hidden = true;
    },
  };
}
