import { StockQuote, StockQuoteSchema } from './stock-quote.js';
import { User, UserSchema } from './user.js';
import { WatchlistItem, WatchlistItemSchema } from './watchlist-item.js';

export { User, WatchlistItem, StockQuote };

/** Every entity the ORM knows; listed explicitly so discovery never scans the file system. */
export const ENTITIES = [UserSchema, WatchlistItemSchema, StockQuoteSchema];
