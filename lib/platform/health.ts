// Health of a process's dependencies, probed live with a timeout each, and a log line whenever a
// dependency goes away or comes back.
import type { Logger } from './logger.js';

export interface Probe {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or is timed out) when it does not. */
  check(): Promise<unknown>;
}

export interface ProbeResult {
  readonly state: 'connected' | 'disconnected';
  readonly error?: string;
}

/** Rejects with the platform's TimeoutError (as AbortSignal.timeout does) if `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DOMException(`${label} did not answer within ${ms} ms`, 'TimeoutError')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export type ProbeSet = ReturnType<typeof createProbeSet>;

export function createProbeSet(probes: readonly Probe[], logger: Logger, timeoutMs: number) {
  const last = new Map<string, ProbeResult['state']>();
  /** Probes one dependency, logging when it goes away or comes back. */
  const runProbe = async (probe: Probe): Promise<[string, ProbeResult]> => {
    const { name } = probe;
    let result: ProbeResult = { state: 'connected' };
    try {
      await withTimeout(probe.check(), timeoutMs, name);
    } catch (error) {
      result = { state: 'disconnected', error: error instanceof Error ? error.message : String(error) };
    }
    const before = last.get(name);
    last.set(name, result.state);
    if (before === 'connected' && result.state === 'disconnected') logger.warn({ dependency: name, error: result.error }, `${name} is unreachable`);
    if (before === 'disconnected' && result.state === 'connected') logger.info({ dependency: name }, `${name} is reachable again`);
    return [name, result];
  };
  return {
    /** Runs every probe at once; the result maps probe name to its state. */
    run: async (): Promise<Record<string, ProbeResult>> => Object.fromEntries(await Promise.all(probes.map(runProbe))),
  };
}

/**
 * Probes in the background so a process with no HTTP traffic (worker, scheduler) still logs
 * when a dependency drops and when it is back. Returns a stop function for shutdown.
 */
export function watchDependencies(probes: ProbeSet, intervalMs: number): () => void {
  const timer = setInterval(() => void probes.run(), intervalMs);
  timer.unref();
  void probes.run();
  return () => clearInterval(timer);
}
