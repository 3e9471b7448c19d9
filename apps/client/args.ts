// The CLI's command line, and the one place the CLI reads its environment (TICKWIRE_PASSWORD and
// NO_COLOR): the client is a user's tool run against some server, not a Tickwire process, so it has
// no part in config/'s schema; config/ only gives it the web's default port.
import { parseArgs } from 'node:util';
import { buildConfig } from '../../config/index.js';
import { normalizeTickers } from '../../lib/tickers/ticker.js';

export const DEFAULT_URL = `http://localhost:${buildConfig({ NODE_ENV: 'development' }).http.port}`;
export const DEFAULT_SYNC_SECONDS = 10;

export const USAGE = `Usage: tickwire-client --email <email> [--tickers AAPL,MSFT] [options]

Logs in to Tickwire, adds the tickers to your watchlist and shows live quotes for the whole
watchlist, following changes made elsewhere (the web demo page, another client).

Options:
  -e, --email <email>         account email (or --username)
      --username <name>       account username, instead of --email
  -p, --password <password>   password; better: the TICKWIRE_PASSWORD variable, or type it when asked
      --register              create the account first if it does not exist (needs --email)
  -t, --tickers <A,B,...>     tickers to add to the watchlist (comma-separated; may be repeated)
  -u, --url <url>             server address (default ${DEFAULT_URL})
      --sync-interval <s>     how often the watchlist is read again, in seconds (default ${DEFAULT_SYNC_SECONDS})
  -h, --help                  show this help

On a terminal the quotes are a table redrawn in place; piped, one line per update:
  AAPL 187.42 +1.20 +0.64% 12:00:01
Ctrl-C or SIGTERM disconnects and exits 0; bad usage exits 2; a failure to log in exits 1.
NO_COLOR turns colours off.`;

/** Bad usage: main prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** https://no-color.org: any non-empty NO_COLOR turns colours off. */
export function readClientEnvironment(env: NodeJS.ProcessEnv = process.env) {
  return { password: env.TICKWIRE_PASSWORD || undefined, noColor: Boolean(env.NO_COLOR) };
}

export type ClientEnvironment = ReturnType<typeof readClientEnvironment>;

export type Login = { readonly email: string } | { readonly username: string };

const OPTIONS = {
  email: { type: 'string', short: 'e' },
  username: { type: 'string' },
  password: { type: 'string', short: 'p' },
  register: { type: 'boolean' },
  tickers: { type: 'string', short: 't', multiple: true },
  url: { type: 'string', short: 'u' },
  'sync-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

function serverUrl(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new UsageError(`--url must be an http:// or https:// address, got "${raw}"`);
  // REST lives under /api and Socket.IO under /socket.io of the same origin; a path would be lost.
  if (url.pathname !== '/' || url.search || url.hash) throw new UsageError(`--url takes the server's address without a path, e.g. ${url.origin}`);
  return url.origin;
}

function tickerList(values: readonly string[]): string[] {
  const raws = values.flatMap((value) => value.split(',')).map((raw) => raw.trim());
  const { symbols, rejected } = normalizeTickers(raws.filter(Boolean));
  if (rejected.length) throw new UsageError(rejected.map((r) => `--tickers: "${r.ticker}": ${r.reason}`).join('\n'));
  return symbols;
}

function seconds(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 3600) throw new UsageError(`--sync-interval must be a whole number of seconds from 1 to 3600, got "${raw}"`);
  return Number(raw) * 1000;
}

/** Parses argv (without node and the script). Throws UsageError with a message for the user. */
export function parseClientArgs(argv: readonly string[], env: ClientEnvironment) {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' } as const;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { kind: 'help' } as const;

  const email = values.email?.trim();
  const username = values.username?.trim();
  if (email !== undefined && !EMAIL_SHAPE.test(email)) throw new UsageError(`--email must be an email address, got "${email}"`);
  if (username !== undefined && !username) throw new UsageError('--username must not be empty');
  if (!email && !username) throw new UsageError('--email (or --username) is required');
  if (values.register && !email) throw new UsageError('--register needs --email: an account is created with an email address');
  if (values.password !== undefined && !values.password) throw new UsageError('--password must not be empty');

  return {
    kind: 'run',
    options: {
      url: serverUrl(values.url ?? DEFAULT_URL),
      login: email ? { email } : { username: username! },
      /** Set with --register: the account to create when login says there is none. */
      registration: values.register ? { email: email!, username } : undefined,
      /** undefined means: ask on the terminal. */
      password: values.password ?? env.password,
      tickers: tickerList(values.tickers ?? []),
      syncIntervalMs: seconds(values['sync-interval'] ?? String(DEFAULT_SYNC_SECONDS)),
      color: !env.noColor,
    },
  } as const;
}

export type ClientOptions = Extract<ReturnType<typeof parseClientArgs>, { kind: 'run' }>['options'];
