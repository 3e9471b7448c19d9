// `npm start`'s process manager: runs the Procfile's processes with each output line prefixed by
// its name, restarts one that exits unexpectedly (with a capped, doubling delay that starts over
// once it has run for a while, and a log line saying how it ended), and stops them all at once,
// SIGKILLing whatever outlives the deadline.
//
// Not concurrently's restartTries/restartDelay: its "exponential" delay doubles without a cap and
// never starts over after a stable run, and it would also restart a process that exits non-zero
// because Ctrl-C stopped it. What is left once restarts are ours is prefixing lines, done here.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT_BAD_CONFIG } from '../../config/index.js';
import type { Logger } from '../../lib/platform/logger.js';
import { nextRestart } from '../../lib/local-infra/restart-policy.js';
import { stopChild } from '../../lib/local-infra/process-files.js';
import type { ProcfileEntry } from '../../lib/local-infra/procfile.js';

export type SupervisedCommand = ProcfileEntry & { readonly env: NodeJS.ProcessEnv };

const COLORS = [36, 35, 33, 32, 34]; // cyan, magenta, yellow, green, blue

export function superviseCommands(commands: readonly SupervisedCommand[], logger: Logger) {
  const width = Math.max(...commands.map((command) => command.name.length));
  const running = new Map<string, ChildProcess>();
  const stopped = new AbortController();
  let reportFatal: (reason: string) => void = () => undefined;
  const fatal = new Promise<string>((resolve) => (reportFatal = resolve));

  function prefixLines(stream: NodeJS.ReadableStream, prefix: string, into: NodeJS.WritableStream): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => into.write(`${prefix} ${line}\n`));
  }

  function start(command: SupervisedCommand, index: number, failures: number): void {
    const label = `[${command.name.padEnd(width)}]`;
    const prefix = process.stdout.isTTY ? `\u001b[${COLORS[index % COLORS.length]}m${label}\u001b[0m` : label;
    const startedAt = Date.now();
    const child = spawn(command.command, { shell: true, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.set(command.name, child);
    prefixLines(child.stdout!, prefix, process.stdout);
    prefixLines(child.stderr!, prefix, process.stderr);
    child.once('error', (error) => logger.error({ process: command.name, err: error.message }, `${command.name} could not be started`));
    child.once('exit', (code, signal) => {
      running.delete(command.name);
      if (stopped.signal.aborted) return;
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (code === EXIT_BAD_CONFIG) {
        logger.error({ process: command.name, exitCode: code }, `${command.name} refused its configuration; not restarting`);
        reportFatal(`${command.name} refused its configuration`);
        return;
      }
      const { failures: inARow, delayMs } = nextRestart(failures, Date.now() - startedAt);
      logger.warn({ process: command.name, exitCode: code, signal, restartInMs: delayMs, failuresInARow: inARow }, `${command.name} exited unexpectedly (${how}); restarting in ${delayMs} ms`);
      // The delay also lets a Ctrl-C that reached this process first reach us before we restart it.
      // stop() cancels the wait, so nothing starts once stopping has begun.
      void sleep(delayMs, undefined, { signal: stopped.signal }).then(() => {
        logger.info({ process: command.name }, `${command.name} restarted`);
        start(command, index, inARow);
      }, () => undefined);
    });
  }

  commands.forEach((command, index) => start(command, index, 0));

  return {
    /** Resolves when a process exited in a way restarting cannot fix (bad configuration). */
    fatal,
    /** Stops restarting, sends `signal` to every process, SIGKILLs those still running at `deadline` (Date.now() ms). */
    async stop(signal: NodeJS.Signals, deadline: number): Promise<void> {
      stopped.abort();
      await Promise.all([...running.values()].map((child) => stopChild(child, deadline, () => child.kill(signal))));
    },
  };
}
