// How numbers and times read on the page. A missing value (null in a Quote) reads as an em dash.

const DASH = '—';

const priceFormats = new Map();

function priceFormat(digits) {
  if (!priceFormats.has(digits)) {
    priceFormats.set(digits, new Intl.NumberFormat(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return priceFormats.get(digits);
}

/** Penny stocks and currencies need more than two decimals to show a move at all. */
const decimalsFor = (value) => (Math.abs(value) < 1 ? 4 : 2);

const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);

export function formatPrice(value) {
  return isNumber(value) ? priceFormat(decimalsFor(value)).format(value) : DASH;
}

/** Signed, so the direction reads without colour: +1.23, −0.50; as many decimals as the price has. */
export function formatChange(value, price) {
  if (!isNumber(value)) return DASH;
  const text = priceFormat(decimalsFor(isNumber(price) ? price : value)).format(Math.abs(value));
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function formatPercent(value) {
  if (!isNumber(value)) return DASH;
  const text = priceFormat(2).format(Math.abs(value));
  return `${value > 0 ? '+' : value < 0 ? '−' : ''}${text}%`;
}

/** "up", "down" or "flat": the sign of a change, for colouring. */
export function signOf(value) {
  if (!isNumber(value) || value === 0) return 'flat';
  return value > 0 ? 'up' : 'down';
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** Today's times as 14:03:22; older ones with their date, so a closed market's last trade is not mistaken for now. */
export function formatTime(iso, now = new Date()) {
  const date = new Date(iso ?? NaN);
  if (Number.isNaN(date.getTime())) return DASH;
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}
