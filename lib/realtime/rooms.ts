// Room names, built in one place: the server joins sockets to them and the emitter targets them.

/** The room of one ticker's subscribers (the first description's naming: `stock_AAPL`). */
export function tickerRoom(symbol: string): string {
  return `stock_${symbol}`;
}
