// Ordered, bounded shutdown: steps run one after another in the order registered (stop taking
// work first, close connections last), each failure logged, the whole bounded by a timeout.
import { withTimeout } from './health.js';
import type { Logger } from './logger.js';

export type Shutdown = ReturnType<typeof createShutdown>;

export function createShutdown(logger: Logger, timeoutMs: number) {
  const steps: { name: string; run: () => unknown }[] = [];
  let running: Promise<void> | undefined;

  async function runSteps(reason: string): Promise<void> {
    logger.info({ reason }, 'shutting down');
    for (const step of steps) {
      try {
        await step.run();
        logger.debug({ step: step.name }, 'shutdown step done');
      } catch (error) {
        logger.error({ step: step.name, err: error }, 'shutdown step failed');
      }
    }
  }

  return {
    add(name: string, run: () => unknown): void {
      steps.push({ name, run });
    },
    /** Runs every step once; later calls return the same promise. */
    run(reason: string): Promise<void> {
      // runSteps catches each step's failure, so the only rejection is the timeout.
      running ??= withTimeout(runSteps(reason), timeoutMs, 'shutdown').catch(() => {
        logger.error({ timeoutMs }, 'shutdown timed out; exiting anyway');
      });
      return running;
    },
    get started() {
      return running !== undefined;
    },
  };
}

