// The delay before a lost connection tries again (Redis, PostgreSQL's LISTEN connection): short at
// first so a returning server is seen quickly, jittered so a fleet of processes does not knock in step.

/** Grows 100 ms per attempt, capped at 2 s; half of it random. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(attempt * 100, 2000);
  return base / 2 + Math.random() * (base / 2);
}
