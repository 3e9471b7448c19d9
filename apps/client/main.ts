#!/usr/bin/env node
// tickwire-client: live quotes for your watchlist in a terminal (see args.ts for the options).
import type { ReadStream, WriteStream } from 'node:tty';
import { parseClientArgs, readClientEnvironment, USAGE, UsageError } from './args.js';
import { createLineView } from './line-view.js';
import { promptPassword, PromptCancelled } from './password-prompt.js';
import { startClient } from './start-client.js';
import { createTableView } from './table-view.js';

const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_CANCELLED = 130;

const fail = (message: string, code: number): never => {
  process.stderr.write(`tickwire-client: ${message}\n`);
  process.exit(code);
};

function readCommand() {
  try {
    return parseClientArgs(process.argv.slice(2), readClientEnvironment());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(`${error.message}\nRun tickwire-client --help for the options.`, EXIT_USAGE);
  }
}

const command = readCommand();
if (command.kind === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { options } = command;

async function password(): Promise<string> {
  if (options.password !== undefined) return options.password;
  if (!process.stdin.isTTY) return fail('no password: pass --password, set TICKWIRE_PASSWORD, or run in a terminal to type it', EXIT_USAGE);
  const who = 'email' in options.login ? options.login.email : options.login.username;
  try {
    return await promptPassword(`Password for ${who}: `, process.stdin as ReadStream, process.stderr);
  } catch (error) {
    if (error instanceof PromptCancelled) return fail('cancelled', EXIT_CANCELLED);
    throw error;
  }
}

const secret = await password();
const view = process.stdout.isTTY
  ? createTableView(process.stdout as WriteStream, `Tickwire live quotes · ${options.url} · Ctrl-C to quit`, options.color)
  : createLineView(process.stdout, process.stderr);
// Piped into `head` and the like: the reader left, so the job is done.
process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : fail(error.message, EXIT_FAILURE)));

let client: Awaited<ReturnType<typeof startClient>> | undefined;
function finish(code: number, lastWord: string) {
  client?.stop();
  view.notice(lastWord);
  view.close();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => finish(0, 'disconnected'));

try {
  client = await startClient(options, secret, view, (reason) => {
    view.problem(reason);
    finish(EXIT_FAILURE, 'stopped');
  });
} catch (error) {
  view.close();
  fail(error instanceof Error ? error.message : String(error), EXIT_FAILURE);
}
