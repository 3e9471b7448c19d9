// Fail-over under load: two web processes with N sockets each (a user per socket, S of T tickers),
// quotes flowing through the real pipeline (scheduler + worker, the Yahoo stub upstream); then one
// web process is SIGKILLed. Its sockets reconnect to the other, as a load balancer would route
// them, with socket.io-client's default backoff (1 s ±50 %, doubling to 5 s), and subscribe again.
// Reports the time until every one of them is connected and subscribed on the survivor, the
// reconnect attempts that failed (0 expected), and the latency (stub serve → client receipt) of
// the survivor's own sockets before, during and after the storm. Stops by itself; exit code 0
// when every socket came back and none failed.
//
// Usage: npm run build && node dist/bench/failover.js [--clients 2500] [--subscriptions 10]
//          [--tickers 500] [--interval 1000] [--before 10] [--after 5] [--procs auto]
//   --clients: sockets per web process. --before: seconds measured before the kill, after a
//   warm-up; --after: seconds measured once the last socket is back. --procs: client processes
//   (auto: 1 up to 1500 sockets in all, else 2). The issue-15 figures: --clients 2500.
import { readFileSync } from 'node:fs';
import { percentile, startBenchSystem } from './support/bench-system.js';
import { createBenchUsers } from './support/bench-users.js';
import { ask, assign, collectSamples, connectClients, sleep, startClientProcess, stopClientProcess, tell } from './support/client-processes.js';
import { tickerName, type FailoverReport, type SamplesReport } from './support/fanout-protocol.js';
import { benchCommandLine } from './support/command-line.js';

const commandLine = benchCommandLine(import.meta.url);
const flags = commandLine.flags({
  clients: { type: 'string', default: '2500' },
  subscriptions: { type: 'string', default: '10' },
  tickers: { type: 'string', default: '500' },
  interval: { type: 'string', default: '1000' },
  before: { type: 'string', default: '10' },
  after: { type: 'string', default: '5' },
  procs: { type: 'string', default: 'auto' },
});
const number = (name: keyof typeof flags) => commandLine.positive(flags[name], `--${name}`);
const perWeb = Math.floor(number('clients'));
const total = 2 * perWeb;
const subscriptions = Math.floor(number('subscriptions'));
const tickers = Math.floor(number('tickers'));
const intervalMs = number('interval');
const beforeMs = number('before') * 1000;
const afterMs = number('after') * 1000;
const procs = flags.procs === 'auto' ? (total <= 1500 ? 1 : 2) : Math.floor(number('procs'));
const WARMUP_MS = 5000;
const CONNECT_TIMEOUT_MS = 20_000;
/** Longest the storm may take before the run gives up on the missing sockets. */
const STORM_DEADLINE_MS = 120_000;
const graceMs = Math.max(2000, 2 * intervalMs);

/** Connections this machine's kernel dropped because a listen queue was full (NaN where /proc says nothing). */
function listenOverflows(): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith('TcpExt:'));
    return Number(lines[at + 1]!.split(' ')[lines[at]!.split(' ').indexOf('ListenOverflows')]);
  } catch {
    return Number.NaN;
  }
}

const system = await startBenchSystem(
  { FETCH_INTERVAL_MS: String(intervalMs), UPSTREAM_REQUESTS_PER_SECOND: '1000', WORKER_CONCURRENCY: '200', SOCKET_MAX_SUBSCRIPTIONS: String(Math.max(100, subscriptions)) },
  { stub: { servedHistory: Math.ceil((WARMUP_MS + beforeMs + STORM_DEADLINE_MS + afterMs + graceMs) / intervalMs) + 64 } },
);
const children: Awaited<ReturnType<typeof startClientProcess>>[] = [];
let failed = true;
try {
  console.log(`fail-over: 2 web processes x ${perWeb} raw sockets, ${subscriptions} of ${tickers} tickers each, ${intervalMs} ms ticks, ${procs} client process(es)`);
  const survivor = await system.start('web');
  const victim = await system.start('web');
  await system.start('worker');
  await system.start('scheduler');
  const tokens = await createBenchUsers(system.env.DATABASE_URL!, total);
  for (let i = 0; i < procs; i += 1) children.push(await startClientProcess());

  // A process's socket j starts on urls[j % 2]: even ones on the survivor, odd ones on the victim.
  const connects = await connectClients(children, {
    client: 'raw',
    urls: [survivor, victim].map((web) => `http://127.0.0.1:${web.port}`),
    tokens,
    subscriptions,
    tickers,
    assignments: assign(total, subscriptions, tickers),
    batchSize: 200,
    timeoutMs: CONNECT_TIMEOUT_MS,
    failover: true,
  });
  const connected = connects.reduce((sum, report) => sum + report.connected - report.subscribeFailed, 0);
  if (connected < total) throw new Error(`only ${connected} of ${total} sockets connected and subscribed: ${JSON.stringify(connects.map((report) => report.failures))}`);

  await sleep(WARMUP_MS);
  for (const child of children) tell(child, { type: 'record' });
  await sleep(beforeMs);
  const overflowsBefore = listenOverflows();
  const killedAt = Date.now();
  victim.child.kill('SIGKILL');
  let status: FailoverReport[];
  const lost = (index: number) => status.reduce((sum, report) => sum + (report.lost[index] ?? 0), 0);
  const back = () => status.reduce((sum, report) => sum + report.back, 0);
  do {
    await sleep(100);
    status = await ask(children, { type: 'failover' }, 'failover');
  } while ((lost(1) < perWeb || back() < lost(0) + lost(1)) && Date.now() - killedAt < STORM_DEADLINE_MS);
  const backAt = Date.now();
  const overflows = listenOverflows() - overflowsBefore;
  await sleep(afterMs);
  const endAt = Date.now();
  await sleep(graceMs);
  const reports = await collectSamples(children);

  // Latency of the survivor's own sockets (even j) by when the stub served the price.
  const phases = { before: [killedAt - beforeMs, killedAt], storm: [killedAt, backAt], after: [backAt, endAt] } as const;
  const latencies = { before: [] as number[], storm: [] as number[], after: [] as number[] };
  let returnedDeliveries = 0;
  for (const report of reports as SamplesReport[]) {
    for (let i = 0; i < report.count; i += 1) {
      const servedAt = report.ticker[i]! < 0 ? undefined : system.stub.servedAt(tickerName(report.ticker[i]!), report.cents[i]! / 100);
      if (servedAt === undefined) continue;
      if (report.socket[i]! % 2 === 1) {
        if (servedAt >= backAt && servedAt < endAt) returnedDeliveries += 1;
        continue;
      }
      for (const [phase, [from, to]] of Object.entries(phases) as Array<[keyof typeof phases, readonly [number, number]]>) {
        if (servedAt >= from && servedAt < to) latencies[phase].push(report.receivedAt[i]! - servedAt);
      }
    }
  }
  const backMs = status.flatMap((report) => [...report.backMs]).sort((a, b) => a - b).map((ms) => Math.round(ms));
  const failures: Record<string, number> = {};
  for (const report of status) for (const [reason, count] of Object.entries(report.failures)) failures[reason] = (failures[reason] ?? 0) + count;
  const stage = (values: number[]) => {
    values.sort((a, b) => a - b);
    return `${percentile(values, 50)} / ${percentile(values, 99)} ms (${values.length} deliveries)`;
  };
  console.log(
    [
      '',
      `killed one web process with ${perWeb} sockets: ${lost(1)} lost, ${back()} back on the survivor, the last ${((backAt - killedAt) / 1000).toFixed(1)} s after the kill`,
      `time from a socket's loss to its subscribe ack on the survivor, p50 / p99 / max: ${percentile(backMs, 50)} / ${percentile(backMs, 99)} / ${backMs.at(-1)} ms`,
      `failed reconnect attempts: ${JSON.stringify(failures)} (each failure sends the socket on to the next web process, the dead one included); ` +
        `connections dropped by a full listen queue meanwhile (the whole machine): ${overflows}`,
      `the survivor's own ${perWeb} sockets: ${lost(0)} disconnected; latency p50 / p99 before ${stage(latencies.before)}, during the storm ${stage(latencies.storm)}, after ${stage(latencies.after)}`,
      `deliveries to the returned sockets after the storm: ${returnedDeliveries}`,
    ].join('\n'),
  );
  failed = back() < lost(0) + lost(1) || lost(1) < perWeb || lost(0) > 0 || returnedDeliveries === 0;
} catch (error) {
  console.error(error);
} finally {
  await Promise.all(children.map(stopClientProcess));
  await system.stop();
}
process.exit(failed ? 1 : 0);
