// Writing fetched quotes to Redis, one key per symbol with a TTL (so the shared Redis can stay
// `noeviction`). A Lua script compares with what is stored and assigns `seq` atomically, so
// workers racing on the same symbol (BullMQ delivers at least once) never double-count a quote.
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../redis/keys.js';
import type { ProviderQuote } from '../providers/provider.js';
import type { Quote } from './quote.js';
import { QUOTE_RETENTION_SECONDS } from './quote-cache.js';

// KEYS[1]: the refresh log (refresh-log.ts); KEYS[1+i]: one quote key per symbol. ARGV[1]: TTL in
// seconds; ARGV[2]: fetchedAt in ms; ARGV[2+i]: the new quote's JSON without its closing brace and
// without seq, so the script appends `,"seq":N}` instead of re-encoding (cjson would reformat
// numbers). Per key it returns the new seq when the quote changed (price, volume or market time),
// 0 when unchanged (stored again, fresher, same seq), and -1 when it is older than the stored
// quote's market time (a late duplicate: dropped). Every stored quote also writes its refresh time
// and market state to the log, which the scheduler reads in one HMGET per tick.
const STORE_SCRIPT = `
local result = {}
for i = 2, #KEYS do
  local key = KEYS[i]
  local body = ARGV[i + 1]
  local incoming = cjson.decode(body .. '}')
  local current = redis.call('GET', key)
  local seq = 1
  local changed = true
  if current then
    local old = cjson.decode(current)
    local oldTime, newTime = old.timestamp, incoming.timestamp
    if type(oldTime) == 'string' and type(newTime) == 'string' and newTime < oldTime then
      result[i - 1] = -1
    else
      changed = not (old.price == incoming.price and old.volume == incoming.volume and oldTime == newTime)
      seq = (tonumber(old.seq) or 0) + (changed and 1 or 0)
    end
  end
  if result[i - 1] == nil then
    redis.call('SET', key, body .. ',"seq":' .. seq .. '}', 'EX', ARGV[1])
    local state = incoming.marketState
    if type(state) ~= 'string' then state = '' end
    redis.call('HSET', KEYS[1], incoming.symbol, ARGV[2] .. '|' .. state)
    result[i - 1] = changed and seq or 0
  end
end
if #KEYS > 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return result
`;

type StoreCommand = (keys: number, ...args: string[]) => Promise<number[]>;

export function createQuoteStore(redis: Redis, keys: RedisKeys) {
  redis.defineCommand('tickwireStoreQuotes', { lua: STORE_SCRIPT });
  const run = (redis as unknown as { tickwireStoreQuotes: StoreCommand }).tickwireStoreQuotes.bind(redis);
  return {
    /** Stores a batch; returns the quotes that changed (worth emitting), with their new seq. */
    async store(quotes: readonly ProviderQuote[], fetchedAt: Date): Promise<Quote[]> {
      if (quotes.length === 0) return [];
      const prepared = quotes.map((quote) => ({ ...quote, fetchedAt: fetchedAt.toISOString(), stale: false }));
      const bodies = prepared.map((quote) => JSON.stringify(quote).slice(0, -1));
      const quoteKeys = prepared.map((quote) => keys.quote(quote.symbol));
      const results = await run(quotes.length + 1, keys.quoteRefreshes, ...quoteKeys, String(QUOTE_RETENTION_SECONDS), String(fetchedAt.getTime()), ...bodies);
      return prepared.flatMap((quote, index) => {
        const seq = results[index] ?? -1;
        return seq > 0 ? [{ ...quote, seq }] : [];
      });
    },
  };
}
