// Ordered, bounded shutdown: steps run one after another in the order registered (stop taking
// work first, close connections last), each failure logged, the whole bounded by a timeout.
import type { Logger } from './logger.js';

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<unknown> | unknown;
}

export interface Shutdown {
  /** Adds a step; steps run in the order they were added. */
  add(name: string, run: ShutdownStep['run']): void;
  /** Runs every step once; later calls return the same promise. */
  run(reason: string): Promise<void>;
  readonly started: boolean;
}

export function createShutdown(logger: Logger, timeoutMs: number): Shutdown {
  const steps: ShutdownStep[] = [];
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
    add(name, run) {
      steps.push({ name, run });
    },
    run(reason) {
      running ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.error({ timeoutMs }, 'shutdown timed out; exiting anyway');
          resolve();
        }, timeoutMs);
        timer.unref();
        void runSteps(reason).finally(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return running;
    },
    get started() {
      return running !== undefined;
    },
  };
}

/**
 * Wires SIGTERM and SIGINT to the shutdown, then exits. A repeated signal is expected (a terminal's
 * Ctrl-C reaches the whole process group and the runner forwards it too), so it does not cut the
 * ordered shutdown short; the timeout bounds it instead.
 */
export function exitOnSignals(shutdown: Shutdown, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.started) return;
    void shutdown.run(signal).then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Crashes are logged as one structured line before the process exits non-zero. */
export function exitOnFatalErrors(shutdown: Shutdown, logger: Logger): void {
  const fatal = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    void shutdown.run(kind).finally(() => process.exit(1));
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
