// The quote archive and its two writers on a real PostgreSQL: the write-behind writes the latest
// quote per symbol in one statement per flush, never goes backwards and survives a failed flush;
// the write-through writes each batch at once and only logs a failed write.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { applyMigrations, initOrm, type Orm } from '../../lib/db/orm.js';
import { createArchiveWriter, writeThrough } from '../../lib/quotes/archive-writer.js';
import { quoteArchive, type QuoteArchive } from '../../lib/quotes/quote-archive.js';
import type { Quote } from '../../lib/quotes/quote.js';
import { createTestDatabase, type TestDatabase } from '../support/infra.js';
import { eventually } from '../support/processes.js';
import { sampleQuote } from '../support/quotes.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const quote = (symbol: string, price: number, fetchedAt: Date, seq = 1): Quote =>
  sampleQuote(symbol, { price, seq, timestamp: fetchedAt.toISOString(), fetchedAt: fetchedAt.toISOString() });

describe('quote archive writers (real PostgreSQL)', () => {
  let database: TestDatabase;
  let orm: Orm;
  let archive: QuoteArchive;
  /** Every SQL statement the ORM ran, as its query log shows them. */
  const statements: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const { msg } = JSON.parse(chunk.toString()) as { msg?: string };
        if (msg) statements.push(msg);
        done();
      },
    });
    orm = await initOrm({ url: database.url, poolMax: 2 }, pino({ level: 'debug' }, sink));
    // Debug mode puts every statement the ORM runs in its log, which the sink collects.
    orm.config.set('debug', true);
    await applyMigrations(orm);
    archive = quoteArchive(orm);
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await orm.em.fork().getConnection().execute('truncate stock_quotes');
  });

  const upserts = () => statements.filter((statement) => /insert into "?stock_quotes"?/i.test(statement)).length;
  const rows = () => orm.em.fork().getConnection().execute<Array<{ symbol: string; quote: Quote; fetched_at: string }>>('select symbol, quote, fetched_at from stock_quotes order by symbol');

  it('writes 300 quotes of 100 symbols as one statement per flush, keeping the latest of each', async () => {
    const writer = createArchiveWriter({ archive, flushIntervalMs: 60_000, logger: silent });
    const start = Date.now();
    for (let round = 1; round <= 3; round += 1) {
      writer.add(Array.from({ length: 100 }, (_, i) => quote(`S${String(i).padStart(3, '0')}`, round * 100 + i, new Date(start + round * 1000), round)));
    }
    const before = upserts();
    await writer.flush();
    expect(upserts() - before).toBe(1);
    const stored = await rows();
    expect(stored).toHaveLength(100);
    expect(stored[7]).toEqual({ symbol: 'S007', quote: quote('S007', 307, new Date(start + 3000), 3), fetched_at: expect.anything() });
    expect(new Date(stored[7]!.fetched_at).getTime()).toBe(start + 3000);

    // Nothing queued: a flush touches no table.
    await writer.flush();
    expect(upserts() - before).toBe(1);
    await writer.close();
  });

  it('never replaces a row with an older quote (writers racing, late flushes)', async () => {
    const now = Date.now();
    await archive.save([quote('AAPL', 101, new Date(now))]);
    await archive.save([quote('AAPL', 99, new Date(now - 5000)), quote('MSFT', 300, new Date(now))]);
    expect((await rows()).map((row) => [row.symbol, row.quote.price])).toEqual([['AAPL', 101], ['MSFT', 300]]);
    // A queued older quote does not replace a newer one queued before it either.
    const writer = createArchiveWriter({ archive, flushIntervalMs: 60_000, logger: silent });
    writer.add([quote('IBM', 2, new Date(now + 1000), 2)]);
    writer.add([quote('IBM', 1, new Date(now), 1)]);
    await writer.close();
    expect((await rows()).find((row) => row.symbol === 'IBM')?.quote.price).toBe(2);
  });

  it('reads a quote back with stale worked out from its age', async () => {
    await archive.save([quote('OLD', 1, new Date(Date.now() - 120_000)), quote('NEW', 2, new Date())]);
    expect(await archive.get('OLD', () => 60_000)).toMatchObject({ symbol: 'OLD', price: 1, stale: true });
    expect(await archive.get('NEW', () => 60_000)).toMatchObject({ symbol: 'NEW', price: 2, stale: false });
    expect(await archive.get('NONE', () => 60_000)).toBeNull();
  });

  it('flushes on its timer and on close', async () => {
    const writer = createArchiveWriter({ archive, flushIntervalMs: 100, logger: silent });
    writer.add([quote('TICK', 1, new Date())]);
    await eventually(async () => ((await rows()).length === 1 ? true : undefined), 5000);
    expect((await rows()).map((row) => row.symbol)).toEqual(['TICK']);
    writer.add([quote('LAST', 1, new Date())]);
    await writer.close();
    expect((await rows()).map((row) => row.symbol)).toEqual(['LAST', 'TICK']);
  });

  it('keeps what a failed flush held for the next one, unless a newer quote arrived meanwhile', async () => {
    let failures = 1;
    const flaky: QuoteArchive = {
      save: async (quotes) => {
        await sleep(50);
        if (failures-- > 0) throw new Error('connection refused');
        await archive.save(quotes);
      },
      get: archive.get,
    };
    const writer = createArchiveWriter({ archive: flaky, flushIntervalMs: 60_000, logger: silent });
    const now = Date.now();
    writer.add([quote('KEEP', 1, new Date(now)), quote('NEWER', 1, new Date(now))]);
    const flushing = writer.flush();
    // The batch is taken and being written when a newer quote of one of its symbols arrives.
    await sleep(10);
    writer.add([quote('NEWER', 2, new Date(now + 1000), 2)]);
    await flushing;
    await writer.close();
    expect((await rows()).map((row) => [row.symbol, row.quote.price])).toEqual([['KEEP', 1], ['NEWER', 2]]);
  });

  it('writes through each batch at once, one statement each, and close waits for the writes in flight', async () => {
    const sink = writeThrough(archive, silent);
    const before = upserts();
    sink.add([quote('WT1', 1, new Date()), quote('WT2', 2, new Date())]);
    sink.add([quote('WT3', 3, new Date())]);
    await sink.close();
    expect(upserts() - before).toBe(2);
    expect((await rows()).map((row) => [row.symbol, row.quote.price])).toEqual([['WT1', 1], ['WT2', 2], ['WT3', 3]]);
  });

  it('logs a failed write-through instead of failing its caller', async () => {
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
        done();
      },
    }));
    const down: QuoteArchive = { save: async () => Promise.reject(new Error('connection refused')), get: archive.get };
    const sink = writeThrough(down, logger);
    sink.add([quote('LOST', 1, new Date())]);
    await sink.close();
    await eventually(async () => (warnings.includes('quote archive write failed') ? true : undefined), 5000);
    expect(await rows()).toEqual([]);
  });
});
