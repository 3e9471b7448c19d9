// The common life of every Tickwire process: logger, ordered shutdown on SIGTERM/SIGINT, fatal
// error logging, and one "ready" line once start-up has finished.
import type { Config } from '../../config/index.js';
import { createLogger, type Logger } from './logger.js';
import { createShutdown, type Shutdown } from './shutdown.js';

export async function runProcess(
  name: string,
  config: Config,
  start: (context: { config: Config; logger: Logger; shutdown: Shutdown }) => Promise<Record<string, unknown> | void>,
): Promise<void> {
  const logger = createLogger(config, name);
  const shutdown = createShutdown(logger, config.shutdown.timeoutMs);
  // A repeated signal is expected (a terminal's Ctrl-C reaches the whole process group and the
  // runner forwards it too), so it does not cut the ordered shutdown short; the timeout bounds it.
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown.started) return;
    void shutdown.run(signal).then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Crashes are logged as one structured line before the process exits non-zero.
  const fatal = (kind: string) => (error: unknown) => {
    logger.fatal({ err: error }, kind);
    void shutdown.run(kind).finally(() => process.exit(1));
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
  try {
    const details = await start({ config, logger, shutdown });
    logger.info({ env: config.env, version: config.version, ...details }, `${name} ready`);
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    await shutdown.run('start-up failed');
    process.exit(1);
  }
}
