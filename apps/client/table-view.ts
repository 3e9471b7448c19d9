// The view on a terminal: the quote table redrawn in place (at most 4 times a second), with the
// latest notices under it. Nothing else writes to the terminal meanwhile, so nothing garbles it.
import type { WriteStream } from 'node:tty';
import { stripVTControlCharacters } from 'node:util';
import { createQuoteBoard } from './quote-board.js';
import { formatClock, STALE_AFTER_MS } from './quote-format.js';
import { palette, renderQuoteTable } from './quote-table.js';
import type { ClientView } from './view.js';

const MIN_REDRAW_MS = 250;
const NOTICES_SHOWN = 4;
/** Staleness changes without any update arriving; look again this often. */
const STALE_CHECK_MS = Math.min(5000, STALE_AFTER_MS / 4);

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const up = (rows: number) => `\x1b[${rows}A\r`;
const CLEAR_DOWN = '\x1b[0J';
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

export function createTableView(out: WriteStream, title: string, color: boolean): ClientView {
  const colors = palette(color);
  const board = createQuoteBoard();
  const notices: string[] = [];
  let drawnRows = 0;
  let lastDraw = 0;
  let pending: NodeJS.Timeout | undefined;
  let closed = false;

  /** Rows the text takes on screen, counting lines the terminal wraps (every character is one column). */
  const screenRows = (text: string) => text.split('\n').reduce((rows, line) => rows + Math.max(1, Math.ceil(stripVTControlCharacters(line).length / Math.max(1, out.columns || 80))), 0);

  function draw() {
    pending = undefined;
    lastDraw = Date.now();
    const text = [colors.bold(title), renderQuoteTable(board.entries(), lastDraw, colors), ...notices].join('\n');
    out.write(`${drawnRows ? up(drawnRows) + CLEAR_DOWN : HIDE_CURSOR}${text}\n`);
    drawnRows = screenRows(text);
  }

  function schedule() {
    if (closed || pending) return;
    pending = setTimeout(draw, Math.max(0, lastDraw + MIN_REDRAW_MS - Date.now()));
  }

  const staleCheck = setInterval(schedule, STALE_CHECK_MS);
  // A narrower terminal re-wraps what was drawn, so counting rows back up no longer works.
  const onResize = () => {
    out.write(CLEAR_SCREEN);
    drawnRows = 0;
    schedule();
  };
  out.on('resize', onResize);
  // Whatever ends the process, the cursor comes back.
  const restoreCursor = () => out.write(SHOW_CURSOR);
  process.once('exit', restoreCursor);

  const note = (message: string, paint: (text: string) => string) => {
    notices.push(`${colors.dim(formatClock(new Date().toISOString()))} ${paint(message)}`);
    notices.splice(0, Math.max(0, notices.length - NOTICES_SHOWN));
    schedule();
  };

  return {
    showSymbols(symbols) {
      board.setSymbols(symbols);
      schedule();
    },
    showQuote(quote) {
      if (board.apply(quote, Date.now())) schedule();
    },
    notice: (message) => note(message, (text) => text),
    problem: (message) => note(message, colors.warn),
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(pending);
      clearInterval(staleCheck);
      out.off('resize', onResize);
      draw();
      restoreCursor();
      process.off('exit', restoreCursor);
    },
  };
}
