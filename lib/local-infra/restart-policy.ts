// How long to wait before restarting something that died: doubling from a short first delay up
// to a cap, and starting over once it has run for a while, as process managers do.

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** Something that ran this long before it died starts again from the first delay. */
const STABLE_AFTER_MS = 60_000;

/** After a run of `ranForMs` that followed `failures` failures in a row: the count now, and the delay before restarting. */
export function nextRestart(failures: number, ranForMs: number): { failures: number; delayMs: number } {
  const inARow = ranForMs >= STABLE_AFTER_MS ? 1 : failures + 1;
  return { failures: inARow, delayMs: Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS * 2 ** (inARow - 1)) };
}
