// The upstream pauses a worker set, read back from its log, and the requests the stub received
// inside one of them. Each pause spans the window Redis held it, as the gate's script reported it:
// the worker's own clock when it logged would stretch a pause by however long the worker was held
// up after writing it, and count requests sent after the real end as inside.
import type { StubQuoteRequest } from '../stubs/yahoo-stub.js';

const PAUSE_MESSAGE = '"msg":"upstream rate limited; pausing fetches"';

export interface LoggedPause {
  /** Epoch ms on Redis's clock: when this pause was written (or found already longer). */
  readonly from: number;
  readonly until: number;
  readonly pauseMs: number;
  /** The worker's clock when it logged the pause: how far it lagged the write shows in a failure. */
  readonly loggedAt: number;
}

/** The pauses logged in a worker's output that were written at or after `since`. */
export function loggedPauses(output: string, since = 0): LoggedPause[] {
  return output
    .split('\n')
    .filter((line) => line.includes(PAUSE_MESSAGE))
    .map((line) => JSON.parse(line) as { time: number; pauseMs: number; pausedUntil: number })
    .map(({ time, pauseMs, pausedUntil }) => ({ from: pausedUntil - pauseMs, until: pausedUntil, pauseMs, loggedAt: time }))
    .filter((pause) => pause.from >= since);
}

/** A request the worker had already let through (or was sending) when a 429 came back is not one "inside" the pause. */
export const IN_FLIGHT_GRACE_MS = 1000;

/** The requests received inside a pause, each with the pause it fell in (so a failure says which and when). */
export function requestsInsidePauses(requests: readonly StubQuoteRequest[], pauses: readonly LoggedPause[]): Array<{ request: StubQuoteRequest; pause: LoggedPause }> {
  return requests.flatMap((request) => {
    const pause = pauses.find((candidate) => request.receivedAt > candidate.from + IN_FLIGHT_GRACE_MS && request.receivedAt < candidate.until);
    return pause === undefined ? [] : [{ request, pause }];
  });
}
