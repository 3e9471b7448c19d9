import { buildConfig, ConfigError, EXAMPLE_JWT_SECRET } from './index.js';

const STRONG_SECRET = 'a'.repeat(20) + 'b'.repeat(20);
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db.internal:5432/tickwire',
  REDIS_URL: 'redis://cache.internal:6379',
  JWT_SECRET: STRONG_SECRET,
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    buildConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('config', () => {
  it('applies the documented defaults in development', () => {
    const config = buildConfig({});
    expect(config.env).toBe('development');
    expect(config.http.port).toBe(3001);
    expect(config.quotes.fetchIntervalMs).toBe(20000);
    expect(config.auth.jwtExpiresInSeconds).toBe(3600);
    expect(config.auth.bcryptSaltRounds).toBe(10);
    expect(config.watchlist.maxSize).toBe(50);
    expect(config.quotes.provider).toBe('yahoo');
    expect(config.log.pretty).toBe(true);
    expect(config.database.embedded).toBe(true);
    expect(config.redis.local).toBe(true);
    expect(config.localInfra.seedDemoUser).toBe(true);
    expect(config.backgroundNice).toBe(10);
  });

  it('has defaults of its own per NODE_ENV', () => {
    const test = buildConfig({ NODE_ENV: 'test' });
    expect(test.auth.bcryptSaltRounds).toBe(4);
    expect(test.log.pretty).toBe(false);
    expect(test.localInfra.seedDemoUser).toBe(false);
    expect(test.localInfra.postgresPort).not.toBe(buildConfig({}).localInfra.postgresPort);

    const production = buildConfig(PRODUCTION);
    expect(production.log).toEqual({ level: 'info', pretty: false });
    expect(production.database).toEqual({ url: PRODUCTION.DATABASE_URL, embedded: false, queryTimeoutMs: 3000 });
    expect(production.quotes.demandDatabaseTimeoutMs).toBe(500);
    expect(production.launcher).toEqual({ webProcesses: 1 });
    expect(production.http.corsOrigins).toEqual([]);
  });

  it('reads every variable of both original descriptions', () => {
    const config = buildConfig({
      PORT: '8080',
      FETCH_INTERVAL_MS: '5000',
      REDIS_URL: 'redis://localhost:6379',
      DATABASE_URL: 'postgresql://a:b@localhost:5432/stock_app',
      JWT_SECRET: 'some-secret',
      JWT_EXPIRES_IN: '15m',
      BCRYPT_SALT_ROUNDS: '12',
      CORS_ORIGINS: 'http://localhost:3000, https://app.example.com/',
      MAX_WATCHLIST_SIZE: '20',
      LOG_LEVEL: 'warn',
      ALPHA_VANTAGE_API_KEY: 'demo',
    });
    expect(config.http.port).toBe(8080);
    expect(config.quotes.fetchIntervalMs).toBe(5000);
    expect(config.redis).toEqual({ url: 'redis://localhost:6379', prefix: 'tickwire', local: false });
    expect(config.database.embedded).toBe(false);
    expect(config.auth.jwtExpiresInSeconds).toBe(900);
    expect(config.auth.bcryptSaltRounds).toBe(12);
    expect(config.http.corsOrigins).toEqual(['http://localhost:3000', 'https://app.example.com']);
    expect(config.watchlist.maxSize).toBe(20);
    expect(config.log.level).toBe('warn');
    expect(config.quotes.alphaVantageApiKey).toBe('demo');
  });

  it('is frozen all the way down', () => {
    const config = buildConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.http.corsOrigins)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be at most 65535'],
    [{ FETCH_INTERVAL_MS: '10' }, 'FETCH_INTERVAL_MS must be at least 1000'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL must be a URL starting with redis:// or rediss://'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    [{ JWT_EXPIRES_IN: 'forever' }, 'JWT_EXPIRES_IN must be a number of seconds or a number followed by s, m, h or d (e.g. 1h)'],
    [{ BCRYPT_SALT_ROUNDS: '40' }, 'BCRYPT_SALT_ROUNDS must be at most 15'],
    [{ CORS_ORIGINS: 'not a url' }, 'CORS_ORIGINS.0 must be a URL starting with http:// or https://'],
    [{ MAX_WATCHLIST_SIZE: '0' }, 'MAX_WATCHLIST_SIZE must be at least 1'],
    [{ DEMAND_DATABASE_TIMEOUT_MS: '20000' }, 'DEMAND_DATABASE_TIMEOUT_MS must be at most 10000'],
    [{ DATABASE_QUERY_TIMEOUT_MS: '100' }, 'DATABASE_QUERY_TIMEOUT_MS must be at least 500'],
    [{ WEB_PROCESSES: '0' }, 'WEB_PROCESSES must be at least 1'],
    [{ BACKGROUND_NICE: '20' }, 'BACKGROUND_NICE must be at most 19'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, test or production'],
    [{ QUOTE_PROVIDER: 'alphavantage' }, 'ALPHA_VANTAGE_API_KEY is required when QUOTE_PROVIDER=alphavantage'],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(problemsOf(env)).toEqual([message]);
  });

  it('lists every bad variable in one message', () => {
    expect(() => buildConfig({ PORT: 'x', MAX_WATCHLIST_SIZE: 'y' })).toThrow(
      'Invalid configuration: PORT must be a whole number; MAX_WATCHLIST_SIZE must be a whole number',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(buildConfig({ PORT: '', REDIS_URL: '' }).http.port).toBe(3001);
  });

  describe('in production', () => {
    it.each([
      [{ JWT_SECRET: undefined }, 'JWT_SECRET is required in production'],
      [{ JWT_SECRET: 'short-secret' }, 'JWT_SECRET must be at least 32 characters in production'],
      [{ JWT_SECRET: EXAMPLE_JWT_SECRET }, 'JWT_SECRET is a published default; set your own secret'],
      [{ DATABASE_URL: undefined }, 'DATABASE_URL is required in production'],
      [{ REDIS_URL: undefined }, 'REDIS_URL is required in production'],
    ])('refuses %j', (change, message) => {
      const env = { ...PRODUCTION, ...change } as Record<string, string>;
      for (const key of Object.keys(change)) if (env[key] === undefined) delete env[key];
      expect(problemsOf(env)).toEqual([message]);
    });
  });
});
