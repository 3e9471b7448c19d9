// The live table's text: one row per subscribed symbol (cli-table3), drawn by table-view.ts.
import Table from 'cli-table3';
import type { Palette } from './colors.js';
import type { BoardEntry } from './quote-board.js';
import { quoteRow } from './quote-format.js';

const HEAD = ['Symbol', 'Price', 'Change', 'Change %', 'Updated', ''];

export function renderQuoteTable(entries: readonly BoardEntry[], now: number, colors: Palette): string {
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
