// The environment contract: every variable Tickwire reads, its type, its limits and its default
// per NODE_ENV. Parsing is pure (env in, frozen config out) so tests build configs directly.
import { z } from 'zod';

/** The JWT secret shipped in `.env.example`: production refuses it as well as the built-in defaults. */
export const EXAMPLE_JWT_SECRET = 'change-me-to-a-long-random-string-of-at-least-32-chars';

const DEV_JWT_SECRET = 'tickwire-development-secret-never-use-in-production';
/** Bull Board's password outside production; production has none unless one is set. */
export const DEV_BULL_BOARD_PASSWORD = 'tickwire-admin';

// Only values that differ by environment live here; the rest have one default in the schema.
const DEFAULTS = {
  development: {
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'pretty',
    JWT_SECRET: DEV_JWT_SECRET,
    CORS_ORIGINS: 'http://localhost:3000,http://localhost:3001',
    LOCAL_POSTGRES_PORT: '5440',
    LOCAL_REDIS_PORT: '6390',
    SEED_DEMO_USER: 'true',
    BULL_BOARD_USERNAME: 'admin',
    BULL_BOARD_PASSWORD: DEV_BULL_BOARD_PASSWORD,
  },
  test: {
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    JWT_SECRET: DEV_JWT_SECRET,
    // bcrypt's cost is what makes a hash slow; tests need hashes, not slowness.
    BCRYPT_SALT_ROUNDS: '4',
    CORS_ORIGINS: 'http://localhost:3000,http://localhost:3001',
    LOCAL_POSTGRES_PORT: '5441',
    LOCAL_REDIS_PORT: '6391',
    SEED_DEMO_USER: 'false',
    BULL_BOARD_USERNAME: 'admin',
    BULL_BOARD_PASSWORD: DEV_BULL_BOARD_PASSWORD,
  },
  production: {
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    CORS_ORIGINS: '',
    SEED_DEMO_USER: 'false',
  },
} satisfies Record<string, Record<string, string>>;

const trimmed = z.string().trim();
const nonEmpty = trimmed.min(1, 'must not be empty');

const int = (min: number, max: number) =>
  trimmed
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const bool = trimmed.pipe(
  z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'], error: 'must be true or false' }),
);

const url = (protocols: readonly string[]) =>
  trimmed.refine(
    (value) => URL.canParse(value) && protocols.includes(new URL(value).protocol),
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `JWT_EXPIRES_IN` in the forms both descriptions used (`3600`, `15m`, `1h`, `7d`), as seconds. */
const duration = trimmed
  .regex(/^\d+[smhd]?$/, 'must be a number of seconds or a number followed by s, m, h or d (e.g. 1h)')
  .transform((value) => Number.parseInt(value, 10) * (DURATION_UNITS[value.at(-1)!] ?? 1))
  .pipe(z.number().min(30, 'must be at least 30 seconds').max(30 * 86400, 'must be at most 30 days'));

// url() trims each origin; blank ones (a trailing comma) are dropped first.
const origins = z
  .string()
  .transform((value) => value.split(',').filter((origin) => origin.trim()))
  .pipe(z.array(url(['http:', 'https:']).transform((origin) => new URL(origin).origin)));

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], 'must be development, test or production'),
    PORT: int(1, 65535).default(3001),
    HOST: nonEmpty.default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal, error, warn, info, debug, trace, silent'),
    LOG_FORMAT: z.enum(['pretty', 'json'], 'must be pretty or json'),
    FETCH_INTERVAL_MS: int(1000, 3_600_000).default(20000),
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    DATABASE_QUERY_TIMEOUT_MS: int(500, 120_000).default(3000),
    DEMAND_DATABASE_TIMEOUT_MS: int(50, 10_000).default(500),
    WEB_PROCESSES: int(1, 16).default(1),
    JWT_SECRET: z.string().optional(),
    JWT_EXPIRES_IN: duration.default(3600),
    JWT_ISSUER: nonEmpty.default('tickwire'),
    JWT_AUDIENCE: nonEmpty.default('tickwire-clients'),
    BCRYPT_SALT_ROUNDS: int(4, 15).default(10),
    AUTH_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(900),
    AUTH_LIMIT_PER_IP: int(1, 100_000).default(30),
    AUTH_LIMIT_PER_ACCOUNT: int(1, 10_000).default(10),
    CORS_ORIGINS: origins,
    MAX_WATCHLIST_SIZE: int(1, 1000).default(50),
    QUOTE_PROVIDER: z.enum(['yahoo', 'alphavantage', 'simulated'], 'must be yahoo, alphavantage or simulated').default('yahoo'),
    ALPHA_VANTAGE_API_KEY: nonEmpty.optional(),
    QUOTE_UPSTREAM_URL: url(['http:', 'https:']).optional(),
    UPSTREAM_TIMEOUT_MS: int(100, 60_000).default(10000),
    UPSTREAM_REQUESTS_PER_SECOND: int(1, 10_000).default(5),
    UPSTREAM_RESERVE_PERCENT: int(0, 90).default(10),
    UPSTREAM_REQUESTS_PER_DAY: int(1, 100_000_000).optional(),
    UPSTREAM_QUOTA_WINDOW_MS: int(1000, 7 * 86_400_000).default(86_400_000),
    QUOTE_CLOSED_INTERVAL_MS: int(1000, 86_400_000).default(300_000),
    QUOTE_PRE_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
    QUOTE_POST_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
    WORKER_CONCURRENCY: int(1, 1000).default(100),
    BACKGROUND_NICE: int(0, 19).default(10),
    QUOTE_ARCHIVE_FLUSH_MS: int(100, 300_000).default(5000),
    QUOTE_CACHE_TTL_SECONDS: int(1, 86_400).default(60),
    SEARCH_CACHE_TTL_SECONDS: int(1, 86_400).default(3600),
    CHART_CACHE_TTL_SECONDS: int(1, 86_400).default(1800),
    OVERVIEW_CACHE_TTL_SECONDS: int(1, 86_400).default(300),
    PUBLIC_RATE_LIMIT_PER_MINUTE: int(1, 1_000_000).default(120),
    SOCKET_MAX_SUBSCRIPTIONS: int(1, 10_000).default(100),
    SOCKET_MESSAGES_PER_SECOND: int(1, 10_000).default(20),
    BULL_BOARD_USERNAME: nonEmpty.optional(),
    BULL_BOARD_PASSWORD: z.string().optional(),
    BULL_BOARD_READ_ONLY: bool.default(true),
    REDIS_PREFIX: trimmed.regex(/^[A-Za-z0-9_:-]{1,40}$/, 'must be 1-40 letters, digits, _ : or -').default('tickwire'),
    SHUTDOWN_TIMEOUT_MS: int(1000, 120_000).default(10000),
    HEALTH_TIMEOUT_MS: int(100, 30_000).default(1500),
    METRICS_PUBLISH_MS: int(100, 60_000).default(5000),
    DATA_DIR: nonEmpty.default('.data'),
    LOCAL_POSTGRES_PORT: int(1024, 65535).default(5440),
    LOCAL_REDIS_PORT: int(1024, 65535).default(6390),
    SEED_DEMO_USER: bool,
  })
  .superRefine((env, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.NODE_ENV === 'production') {
      // Production never falls back to local infrastructure or to a secret anyone can read.
      if (!env.DATABASE_URL) issue('DATABASE_URL', 'is required in production');
      if (!env.REDIS_URL) issue('REDIS_URL', 'is required in production');
      if (!env.JWT_SECRET) issue('JWT_SECRET', 'is required in production');
      else if (env.JWT_SECRET.length < 32) issue('JWT_SECRET', 'must be at least 32 characters in production');
      else if ([EXAMPLE_JWT_SECRET, DEV_JWT_SECRET].includes(env.JWT_SECRET)) issue('JWT_SECRET', 'is a published default; set your own secret');
    } else if (!env.JWT_SECRET) {
      issue('JWT_SECRET', 'must not be empty');
    }
    if (env.BULL_BOARD_PASSWORD !== undefined && !env.BULL_BOARD_USERNAME) issue('BULL_BOARD_USERNAME', 'is required when BULL_BOARD_PASSWORD is set');
    if (env.BULL_BOARD_USERNAME && env.BULL_BOARD_PASSWORD === undefined) issue('BULL_BOARD_PASSWORD', 'is required when BULL_BOARD_USERNAME is set');
    if (env.NODE_ENV === 'production' && env.BULL_BOARD_PASSWORD !== undefined) {
      if (env.BULL_BOARD_PASSWORD.length < 12) issue('BULL_BOARD_PASSWORD', 'must be at least 12 characters in production');
      else if (env.BULL_BOARD_PASSWORD === DEV_BULL_BOARD_PASSWORD) issue('BULL_BOARD_PASSWORD', 'is a published default; set your own password');
    }
    if (env.QUOTE_PROVIDER === 'alphavantage' && !env.ALPHA_VANTAGE_API_KEY) {
      issue('ALPHA_VANTAGE_API_KEY', 'is required when QUOTE_PROVIDER=alphavantage');
    }
  });

export type ParsedEnv = z.infer<typeof schema>;

/** Every variable the schema reads (for the check that .env.example documents each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function parseEnv(env: Readonly<Record<string, string | undefined>>): ParsedEnv {
  // Every other default depends on NODE_ENV, so a bad one is the only thing worth reporting.
  const nodeEnv = schema.shape.NODE_ENV.safeParse(env.NODE_ENV?.trim() || 'development');
  if (!nodeEnv.success) throw new ConfigError([`NODE_ENV ${nodeEnv.error.issues[0]!.message}`]);
  // An empty variable means "not set", as in most .env loaders, so defaults still apply.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse({ ...DEFAULTS[nodeEnv.data], ...given, NODE_ENV: nodeEnv.data });
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  return result.data;
}
