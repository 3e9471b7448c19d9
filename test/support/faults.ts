// Faults injected from outside, as an operator's mishap would: freezing a server (SIGSTOP on its
// whole process tree, so no backend of it answers either), and what a subscribed client sees
// meanwhile: when each ticker's updates arrived, and the longest wait between two of them.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { readPid } from '../../lib/local-infra/process-files.js';
import type { StockUpdate } from '../../lib/realtime/events.js';
import type { TickwireClientSocket } from '../../lib/realtime/client.js';

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const children = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([child, parent]) => parent === pid && Number.isInteger(child));
  return [pid, ...children.flatMap(([child]) => processTree(child!))];
}

/** SIGSTOPs a process tree; the returned function SIGCONTs the same processes (safe to call twice). */
export function freeze(pid: number): () => void {
  const frozen = processTree(pid);
  // Parent first, so it forks nothing new while its children are being stopped.
  for (const each of frozen) process.kill(each, 'SIGSTOP');
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    for (const each of frozen.reverse()) {
      try {
        process.kill(each, 'SIGCONT');
      } catch {
        // Already gone.
      }
    }
  };
}

/** The postmaster of an embedded PostgreSQL's data folder. */
export async function postmasterPid(dataDir: string): Promise<number> {
  const pid = await readPid(path.join(dataDir, 'postmaster.pid'));
  if (pid === undefined) throw new Error(`no postmaster.pid in ${dataDir}`);
  return pid;
}

/** The longest time in [from, to] between two of `times` (the edges count as waits too). */
export function longestWait(times: readonly number[], from: number, to: number): number {
  const points = [from, ...times.filter((at) => at >= from && at <= to), to];
  return Math.max(...points.slice(1).map((at, index) => at - points[index]!));
}

export interface UpdateLog {
  /** Arrival times (Date.now()) of each ticker's updates. */
  readonly arrivals: ReadonlyMap<string, readonly number[]>;
  /** The longest time in [from, to] without an update of `ticker` (the edges count as waits too). */
  longestWait(ticker: string, from: number, to: number): number;
  /** Resolves once every ticker has had an update after `since`; rejects after `timeoutMs`. */
  updatedAfter(tickers: readonly string[], since: number, timeoutMs: number): Promise<void>;
}

export function recordUpdates(socket: TickwireClientSocket): UpdateLog {
  const arrivals = new Map<string, number[]>();
  const waiters = new Set<() => void>();
  socket.on('stock_update', (update: StockUpdate) => {
    const at = Date.now();
    for (const symbol of Object.keys(update)) arrivals.set(symbol, [...(arrivals.get(symbol) ?? []), at]);
    for (const check of waiters) check();
  });
  return {
    arrivals,
    longestWait: (ticker, from, to) => longestWait(arrivals.get(ticker) ?? [], from, to),
    updatedAfter(tickers, since, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = () => tickers.every((ticker) => (arrivals.get(ticker) ?? []).some((at) => at > since));
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no update after ${new Date(since).toISOString()} within ${timeoutMs} ms for ${tickers.filter((t) => !(arrivals.get(t) ?? []).some((at) => at > since)).join(', ')}`));
        }, timeoutMs);
        const check = () => {
          if (!done()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
