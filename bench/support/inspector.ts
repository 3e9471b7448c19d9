// A child process's inspector (start it with NODE_OPTIONS=--inspect=127.0.0.1:0; --cpu-prof and
// --expose-gc are not allowed in NODE_OPTIONS), for figures a benchmark cannot read from /proc:
// memory after a full GC, and a CPU profile (.cpuprofile, opens in Chrome DevTools) with its self
// time summarised per function and per package.
import { writeFile } from 'node:fs/promises';
import { WebSocket } from 'ws';

export interface MemoryFigures {
  /** process.memoryUsage() after a full GC, in bytes. */
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface Inspector {
  /** Full GC, then process.memoryUsage(). */
  memoryAfterGc(): Promise<MemoryFigures>;
  startProfile(samplingIntervalUs?: number): Promise<void>;
  /** Starts recording the process's GC pauses (perf_hooks 'gc' entries). */
  watchGc(): Promise<void>;
  /** The pauses recorded since watchGc, as [Date.now() at the start, duration ms, kind]. */
  gcPauses(): Promise<Array<[number, number, number]>>;
  /** Event-loop stalls since watchGc: [Date.now() when the 5 ms timer was last on time, how long it was late]. */
  stalls(): Promise<Array<[number, number]>>;
  /** Stops the profile, writes it to `file` and returns a summary. */
  stopProfile(file: string): Promise<string>;
  close(): void;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** `output` is what the process printed: the inspector's "Debugger listening on ws://..." line. */
export async function connectInspector(output: string): Promise<Inspector> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
  if (!url) throw new Error('no inspector URL in the output (start the process with NODE_OPTIONS=--inspect=127.0.0.1:0)');
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  const call = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (result) => resolve(result as T), reject });
      socket.send(JSON.stringify({ id, method, params }));
    });

  return {
    async memoryAfterGc() {
      await call('HeapProfiler.collectGarbage');
      const { result } = await call<{ result: { value: string } }>('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(result.value) as MemoryFigures;
    },
    async startProfile(samplingIntervalUs = 200) {
      await call('Profiler.enable');
      await call('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
      await call('Profiler.start');
    },
    async stopProfile(file) {
      const { profile } = await call<{ profile: Profile }>('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      return summarise(profile);
    },
    async watchGc() {
      const expression = `(() => {
        const { PerformanceObserver } = process.getBuiltinModule('node:perf_hooks');
        const pauses = (globalThis.__benchGcPauses = []);
        const origin = Date.now() - performance.now();
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) pauses.push([origin + entry.startTime, entry.duration, entry.detail?.kind ?? 0]);
        }).observe({ entryTypes: ['gc'] });
        const stalls = (globalThis.__benchStalls = []);
        let last = Date.now();
        globalThis.__benchStallTimer = setInterval(() => {
          const now = Date.now();
          if (now - last > 25) stalls.push([last, now - last]);
          last = now;
        }, 5);
      })()`;
      await call('Runtime.evaluate', { expression });
    },
    async gcPauses() {
      const { result } = await call<{ result: { value: string } }>('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__benchGcPauses ?? [])', returnByValue: true });
      return JSON.parse(result.value) as Array<[number, number, number]>;
    },
    async stalls() {
      const { result } = await call<{ result: { value: string } }>('Runtime.evaluate', { expression: 'clearInterval(globalThis.__benchStallTimer), JSON.stringify(globalThis.__benchStalls ?? [])', returnByValue: true });
      return JSON.parse(result.value) as Array<[number, number]>;
    },
    close: () => socket.close(),
  };
}

/** Self time per package / area (top 12) and per function (top 25). */
function summarise(profile: Profile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map<number, number>();
  for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
  const total = profile.samples.length;
  const perFunction = new Map<string, number>();
  const perArea = new Map<string, number>();
  for (const [id, count] of counts) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^file:\/\//, '');
    const area = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.startsWith('node:') ? 'node core' : file === '' ? `(${functionName || 'native'})` : 'tickwire');
    const name = `${functionName || '(anonymous)'} ${file.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + count);
    perArea.set(area, (perArea.get(area) ?? 0) + count);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, count]) => `  ${((count / total) * 100).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  return `${total} samples over ${seconds.toFixed(1)} s (wall clock: a thread waiting in a syscall counts)\nself time by area:\n${top(perArea, 12)}\nself time by function:\n${top(perFunction, 25)}`;
}
