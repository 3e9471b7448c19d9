// The view when stdout is not a terminal (a pipe, a file, a test): one plain line per new quote on
// stdout, so it stays scriptable; notices and problems go to stderr.
import type { Writable } from 'node:stream';
import { createQuoteBoard } from './quote-board.js';
import { quoteLine } from './quote-format.js';
import type { ClientView } from './view.js';

export function createLineView(out: Writable, err: Writable): ClientView {
  const board = createQuoteBoard();
  const say = (message: string) => void err.write(`tickwire-client: ${message}\n`);
  return {
    showSymbols: (symbols) => board.setSymbols(symbols),
    showQuote(quote) {
      if (board.apply(quote, Date.now())) out.write(`${quoteLine(quote)}\n`);
    },
    notice: say,
    problem: say,
    close() {},
  };
}
