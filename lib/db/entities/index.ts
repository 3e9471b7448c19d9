import { StockQuoteSchema } from './stock-quote.js';
import { UserSchema } from './user.js';
import { WatchlistItemSchema } from './watchlist-item.js';

export { User, UserSchema } from './user.js';
export { WatchlistItem, WatchlistItemSchema } from './watchlist-item.js';
export { StockQuote, StockQuoteSchema } from './stock-quote.js';

/** Every entity the ORM knows; listed explicitly so discovery never scans the file system. */
export const ENTITIES = [UserSchema, WatchlistItemSchema, StockQuoteSchema];
