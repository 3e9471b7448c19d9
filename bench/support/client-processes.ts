// The parent's side of the client processes (bench/support/fanout-clients.ts) that bench/fanout.ts
// and bench/failover.ts drive: starting and stopping them, the IPC exchange, and dealing sockets
// out. Socket i of a run lives in process i % procs; a process's socket j connects to urls[j % urls.length].
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ConnectOrder, ConnectReport, ParentMessage, SamplesReport } from './fanout-protocol.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next IPC message of `type` from `child`; refused when the child exits first or `timeoutMs` passes. */
export function nextChildMessage<M extends { readonly type: string }, T extends M['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`child process ${child.pid}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: M) => {
      if (message.type === type) finish(undefined, message as Extract<M, { type: T }>);
    };
    const onExit = (code: number | null) => finish(new Error(`child process ${child.pid} exited (${code}) before "${type}"`));
    const finish = (error?: Error, message?: Extract<M, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export const nextMessage = <T extends ChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number) => nextChildMessage<ChildMessage, T>(child, type, timeoutMs);

export const tell = (child: ChildProcess, message: ParentMessage) => child.send(message);

/** Asks every process for `type` and waits for the answers. */
export function ask<T extends ChildMessage['type']>(children: readonly ChildProcess[], message: ParentMessage, type: T, timeoutMs = 60_000) {
  return Promise.all(
    children.map((child) => {
      const reply = nextMessage(child, type, timeoutMs);
      tell(child, message);
      return reply;
    }),
  );
}

export async function startClientProcess(): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./fanout-clients.js', import.meta.url));
  const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await nextMessage(child, 'ready', 20_000);
  return child;
}

export async function stopClientProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) tell(child, { type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Each socket's S distinct tickers of T, drawn with a fixed seed (mulberry32) so runs compare. */
export function assign(count: number, subscriptions: number, tickers: number): Int32Array {
  let state = 0x5eed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pool = Int32Array.from({ length: tickers }, (_, index) => index);
  const result = new Int32Array(count * subscriptions);
  for (let socket = 0; socket < count; socket += 1) {
    // Partial Fisher-Yates: the first S slots become a uniform draw without repetition.
    for (let slot = 0; slot < subscriptions; slot += 1) {
      const pick = slot + Math.floor(random() * (tickers - slot));
      [pool[slot], pool[pick]] = [pool[pick]!, pool[slot]!];
      result[socket * subscriptions + slot] = pool[slot]!;
    }
  }
  return result;
}

/** The tickers of `sockets` (indexes into the run), out of the whole run's assignments, in that order. */
export function shareOf(assignments: Int32Array, subscriptions: number, sockets: readonly number[]): Int32Array {
  const share = new Int32Array(sockets.length * subscriptions);
  sockets.forEach((socket, position) => share.set(assignments.subarray(socket * subscriptions, (socket + 1) * subscriptions), position * subscriptions));
  return share;
}

export type RunConnectOrder = Omit<ConnectOrder, 'type'> & {
  /** Sockets connecting at once, across the processes. */
  readonly batchSize: number;
  /** Sockets opened per second, across the processes. */
  readonly ratePerSecond?: number;
};

/** Deals `order`'s sockets (tokens and assignments of the whole run) out to the processes and connects them. */
export function connectClients(children: readonly ChildProcess[], order: RunConnectOrder): Promise<ConnectReport[]> {
  const procs = children.length;
  const total = order.tokens.length;
  return Promise.all(
    children.map((child, index) => {
      const mine = Array.from({ length: total }, (_, socket) => socket).filter((socket) => socket % procs === index);
      const assignments = shareOf(order.assignments, order.subscriptions, mine);
      const reply = nextMessage(child, 'connected', 30 * 60_000);
      tell(child, {
        ...order,
        type: 'connect',
        tokens: mine.map((socket) => order.tokens[socket]!),
        assignments,
        batchSize: Math.max(1, Math.ceil(order.batchSize / procs)),
        ...(order.ratePerSecond ? { ratePerSecond: order.ratePerSecond / procs } : {}),
      });
      return reply;
    }),
  );
}

export const collectSamples = (children: readonly ChildProcess[]): Promise<SamplesReport[]> => ask(children, { type: 'report' }, 'samples');
