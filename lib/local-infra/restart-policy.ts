// How long to wait before restarting something that died: doubling from a short first delay up
// to a cap, and starting over once it has run for a while, as process managers do.

export interface RestartPolicy {
  /** Delay before the first restart; each failure in a row doubles it. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Something that ran this long before it died starts again from `initialDelayMs`. */
  readonly stableAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/** The delay before restart number `failures` in a row (1: the first after a stable run). */
export function restartDelayMs(failures: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failures - 1));
}

/** Failures in a row after a run of `ranForMs` that followed `failures` failures. */
export function failuresInARow(failures: number, ranForMs: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number {
  return ranForMs >= policy.stableAfterMs ? 1 : failures + 1;
}
