// Logging for work that retries by itself while a dependency is away (a heartbeat, a periodic
// publication): one warning when an outage begins, debug lines while it lasts, one info line when
// it is over, so a long Redis outage does not flood the log.
import type { Logger } from './logger.js';

/** `what` names the work ("live demand published"); `retry` says who tries again. */
export function outageLog(log: Logger, what: { done: string; notDone: string; retry: string }) {
  let failing = false;
  return {
    succeeded() {
      if (failing) log.info(`${what.done} again`);
      failing = false;
    },
    failed(error: unknown) {
      const details = { err: error instanceof Error ? error.message : String(error) };
      if (failing) log.debug(details, what.notDone);
      else log.warn(details, `${what.notDone}; ${what.retry}`);
      failing = true;
    },
  };
}
