// What one fetch job costs Redis: BullMQ's scripts (add, move to active, move to finished) are most
// of Redis's share of the server side's core at full load, so this measures them alone, with the
// product's own job options and a handler that does nothing, against a private redis-server
// configured as the launcher runs it (append-only file on). Variants change only how finished jobs
// are trimmed, to show whether that part is worth trading Bull Board's history for. The client
// side's cost is this process's CPU: adding the jobs (as the scheduler does) and taking and
// finishing them (as the worker does), with no handler work.
// Usage: npm run build && node dist/bench/job-cost.js [jobsPerRound=500] [rounds=40]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startLocalRedis } from '../lib/local-infra/local-redis.js';
import { fetchJobOptions } from '../lib/queues/job-options.js';
import { QUEUE_NAMES } from '../lib/queues/names.js';
import { openQueue, startQueueWorker } from '../lib/queues/queues.js';
import { freePort } from '../test/support/processes.js';
import { benchCommandLine } from './support/command-line.js';

const commandLine = benchCommandLine(import.meta.url);
const [jobsArg, roundsArg] = commandLine.positionals(['jobsPerRound', 'rounds']);
const jobsPerRound = Math.floor(commandLine.positive(jobsArg, 'jobsPerRound', 500));
const rounds = Math.floor(commandLine.positive(roundsArg, 'rounds', 40));
const WARM_UP_ROUNDS = 5;

const VARIANTS: ReadonlyArray<{ readonly name: string; readonly finished?: Pick<JobsOptions, 'removeOnComplete'> }> = [
  { name: 'as built (age and count)' },
  { name: 'count only', finished: { removeOnComplete: { count: 1_000 } } },
  { name: 'removed on completion', finished: { removeOnComplete: true } },
];

/** EVALSHA's calls and microseconds since the last CONFIG RESETSTAT (they include the scripts' own commands), and Redis's CPU seconds so far. */
async function scriptStats(redis: Redis): Promise<{ calls: number; usec: number; cpuSeconds: number }> {
  const stats = await redis.info('commandstats');
  const evalsha = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(stats);
  const cpu = await redis.info('cpu');
  const seconds = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(cpu)?.[1] ?? Number.NaN);
  return { calls: Number(evalsha?.[1] ?? 0), usec: Number(evalsha?.[2] ?? 0), cpuSeconds: seconds('used_cpu_user') + seconds('used_cpu_sys') };
}

async function measure(redisUrl: string, variant: (typeof VARIANTS)[number], index: number) {
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const prefix = `job-cost-${index}`;
  const logger = pino({ level: 'silent' });
  const queue = openQueue(QUEUE_NAMES.quotes, { connection, prefix });
  let completed = 0;
  const worker = startQueueWorker(QUEUE_NAMES.quotes, [{ name: 'fetch-quote', handle: async () => null }], { connection, prefix, logger }, { concurrency: 64 });
  worker.on('completed', () => void (completed += 1));
  await worker.waitUntilReady();
  // The same symbols every round, as each tick asks for them again: the last round's jobs have
  // finished by then, so deduplication lets the new ones in. BullMQ copies the options it is given.
  const batch = Array.from({ length: jobsPerRound }, (_, i) => {
    const symbol = `B${i}`;
    return { name: 'fetch-quote' as const, data: { symbol }, opts: { ...fetchJobOptions(symbol), ...variant.finished } };
  });
  const round = async () => {
    const target = completed + jobsPerRound;
    await queue.addBulk(batch);
    while (completed < target) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  for (let i = 0; i < WARM_UP_ROUNDS; i += 1) await round();

  const admin = new Redis(redisUrl);
  await admin.config('RESETSTAT');
  const before = await scriptStats(admin);
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < rounds; i += 1) await round();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - startedAt;
  const after = await scriptStats(admin);
  const jobs = rounds * jobsPerRound;
  admin.disconnect();
  await worker.close();
  await queue.close();
  return `| ${variant.name} | ${jobs} | ${(after.calls / jobs).toFixed(2)} | ${(after.usec / jobs).toFixed(0)} | ${(((after.cpuSeconds - before.cpuSeconds) * 1e6) / jobs).toFixed(0)} | ${((cpu.user + cpu.system) / jobs).toFixed(0)} | ${Math.round(jobs / (wallMs / 1000))} |`;
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'tickwire-job-cost-'));
const redis = await startLocalRedis({ dataDir, port: await freePort(), logger: pino({ level: 'warn' }) });
try {
  const rows: string[] = [];
  // Each variant twice, alternating, so a drift of the machine shows as a spread rather than a difference.
  for (const pass of [0, 1]) {
    for (const [index, variant] of VARIANTS.entries()) {
      rows.push(await measure(redis.url, variant, pass * VARIANTS.length + index));
      console.log(rows.at(-1));
    }
  }
  console.log(
    ['', '| finished jobs | jobs | scripts / job | script µs / job (INFO commandstats) | Redis CPU µs / job (user + sys) | client CPU µs / job (queue and worker) | jobs / s |', '|---|---|---|---|---|---|---|', ...rows].join('\n'),
  );
} finally {
  await redis.stop();
  await rm(dataDir, { recursive: true, force: true });
}
