// The common life of every Tickwire process: logger, ordered shutdown on SIGTERM/SIGINT, fatal
// error logging, and one "ready" line once start-up has finished.
import type { Config } from '../../config/index.js';
import { createLogger, type Logger } from './logger.js';
import { createShutdown, exitOnFatalErrors, exitOnSignals, type Shutdown } from './shutdown.js';

export interface ProcessContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly shutdown: Shutdown;
}

export async function runProcess(name: string, config: Config, start: (context: ProcessContext) => Promise<Record<string, unknown> | void>): Promise<void> {
  const logger = createLogger(config, name);
  const shutdown = createShutdown(logger, config.shutdown.timeoutMs);
  exitOnSignals(shutdown, logger);
  exitOnFatalErrors(shutdown, logger);
  try {
    const details = await start({ config, logger, shutdown });
    logger.info({ env: config.env, version: config.version, ...details }, `${name} ready`);
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    await shutdown.run('start-up failed');
    process.exit(1);
  }
}
