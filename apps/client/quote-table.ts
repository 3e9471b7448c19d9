// The live table's text: one row per subscribed symbol (cli-table3), drawn by table-view.ts, in
// ANSI colours or none at all (NO_COLOR).
import Table from 'cli-table3';
import type { BoardEntry } from './quote-board.js';
import { quoteRow } from './quote-format.js';

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/** Keyed by Direction too (`up`, `down`, `flat`), so a trend picks its colour directly. */
export function palette(enabled: boolean) {
  if (!enabled) return { up: plain, down: plain, flat: plain, dim: plain, warn: plain, bold: plain };
  return { up: sgr(32, 39), down: sgr(31, 39), flat: plain, dim: sgr(2, 22), warn: sgr(33, 39), bold: sgr(1, 22) };
}

const HEAD = ['Symbol', 'Price', 'Change', 'Change %', 'Updated', ''];

export function renderQuoteTable(entries: readonly BoardEntry[], now: number, colors: ReturnType<typeof palette>): string {
  const table = new Table({
    head: HEAD.map((title) => colors.bold(title)),
    colAligns: ['left', 'right', 'right', 'right', 'left', 'left'],
    // cli-table3 colours the head red and the border grey unless told otherwise; the palette decides.
    style: { head: [], border: [] },
    // No rule between rows: one screen line per symbol.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const entry of entries) {
    if (!entry.quote) {
      table.push([entry.symbol, '-', '-', '-', '-', colors.dim('waiting')]);
      continue;
    }
    const row = quoteRow(entry.quote, entry.receivedAt, now);
    const trend = colors[row.trend];
    table.push([row.symbol, colors[entry.tick](row.price), trend(row.change), trend(row.changePercent), row.time, row.stale ? colors.warn('stale') : '']);
  }
  if (entries.length === 0) table.push([{ colSpan: HEAD.length, content: colors.dim('watchlist is empty: add tickers with --tickers or from the web page') }]);
  return table.toString();
}
