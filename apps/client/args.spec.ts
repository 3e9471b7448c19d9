import { DEFAULT_SYNC_SECONDS, DEFAULT_URL, parseClientArgs, readClientEnvironment, UsageError, type ClientEnvironment, type ClientOptions } from './args.js';

const NO_ENV: ClientEnvironment = { password: undefined, noColor: false };

function optionsOf(argv: string[], env = NO_ENV): ClientOptions {
  const command = parseClientArgs(argv, env);
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
  return command.options;
}

function usageErrorOf(argv: string[]): string {
  try {
    parseClientArgs(argv, NO_ENV);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
}

describe('parseClientArgs', () => {
  it('takes the example of the README', () => {
    expect(optionsOf(['--email', 'you@example.com', '--tickers', 'AAPL,MSFT'])).toEqual({
      url: 'http://localhost:3001',
      login: { email: 'you@example.com' },
      registration: undefined,
      password: undefined,
      tickers: ['AAPL', 'MSFT'],
      syncIntervalMs: DEFAULT_SYNC_SECONDS * 1000,
      color: true,
    });
  });

  it('defaults to the web process\'s default port', () => {
    expect(DEFAULT_URL).toBe('http://localhost:3001');
  });

  it('normalises tickers across commas, spaces and repeated options, without duplicates', () => {
    expect(optionsOf(['-e', 'a@b.co', '-t', ' aapl, brk-b ,', '--tickers', 'AAPL', '-t', '^gspc']).tickers).toEqual(['AAPL', 'BRK-B', '^GSPC']);
  });

  it('logs in by username, and registers only with an email', () => {
    expect(optionsOf(['--username', 'demo']).login).toEqual({ username: 'demo' });
    expect(optionsOf(['--email', 'a@b.co', '--username', 'demo', '--register'])).toMatchObject({
      login: { email: 'a@b.co' },
      registration: { email: 'a@b.co', username: 'demo' },
    });
  });

  it('takes the password from --password first, then from the environment', () => {
    expect(optionsOf(['-e', 'a@b.co', '-p', 'from-flag'], { password: 'from-env', noColor: false }).password).toBe('from-flag');
    expect(optionsOf(['-e', 'a@b.co'], { password: 'from-env', noColor: false }).password).toBe('from-env');
  });

  it('keeps only the origin of --url and turns colours off with NO_COLOR', () => {
    const options = optionsOf(['-e', 'a@b.co', '--url', 'https://quotes.example.com:8443/'], { password: undefined, noColor: true });
    expect(options.url).toBe('https://quotes.example.com:8443');
    expect(options.color).toBe(false);
  });

  it('reads the sync interval in seconds', () => {
    expect(optionsOf(['-e', 'a@b.co', '--sync-interval', '3']).syncIntervalMs).toBe(3000);
  });

  it.each([
    [[], '--email (or --username) is required'],
    [['--email', 'nope'], '--email must be an email address, got "nope"'],
    [['--username', ' '], '--username must not be empty'],
    [['--username', 'demo', '--register'], '--register needs --email: an account is created with an email address'],
    [['-e', 'a@b.co', '--password', ''], '--password must not be empty'],
    [['-e', 'a@b.co', '--url', 'localhost:3001'], '--url must be an http:// or https:// address, got "localhost:3001"'],
    [['-e', 'a@b.co', '--url', 'http://localhost:3001/api'], "--url takes the server's address without a path, e.g. http://localhost:3001"],
    [['-e', 'a@b.co', '-t', 'AAPL,$$$'], '--tickers: "$$$": ticker may contain only letters, digits, ".", "=", "-" and a leading "^"'],
    [['-e', 'a@b.co', '-t', 'X'.repeat(25)], `--tickers: "${'X'.repeat(25)}": ticker is too long (at most 20 characters, or 21 with ^)`],
    [['-e', 'a@b.co', '--sync-interval', '0'], '--sync-interval must be a whole number of seconds from 1 to 3600, got "0"'],
    [['-e', 'a@b.co', '--sync-interval', '1.5'], '--sync-interval must be a whole number of seconds from 1 to 3600, got "1.5"'],
    [['-e', 'a@b.co', 'AAPL'], "Unexpected argument 'AAPL'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageErrorOf(argv)).toContain(message);
  });

  it('lists every bad ticker, not only the first', () => {
    expect(usageErrorOf(['-e', 'a@b.co', '-t', 'A!,AAPL,B?']).split('\n')).toHaveLength(2);
  });

  it('answers --help even among bad options', () => {
    expect(parseClientArgs(['--help'], NO_ENV)).toEqual({ kind: 'help' });
    expect(parseClientArgs(['--bogus', '-h'], NO_ENV)).toEqual({ kind: 'help' });
  });
});

describe('readClientEnvironment', () => {
  it('reads TICKWIRE_PASSWORD, and NO_COLOR only when it is not empty', () => {
    expect(readClientEnvironment({ TICKWIRE_PASSWORD: 'pw', NO_COLOR: '1' })).toEqual({ password: 'pw', noColor: true });
    expect(readClientEnvironment({ TICKWIRE_PASSWORD: '', NO_COLOR: '' })).toEqual({ password: undefined, noColor: false });
  });
});
