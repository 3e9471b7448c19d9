// `npm start` and `npm test` begin here. Plain Node with no dependencies, because it runs before
// they exist: installs them when missing or out of date, compiles the TypeScript, then hands
// over to the launcher (start) or to jest (test), passing signals and the exit code through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const [mode, ...args] = process.argv.slice(2);
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// `npm install` rather than `npm ci`: with the lock file it installs the same versions, and it
// tolerates a registry that lacks other platforms' optional binaries (swc, msgpackr), which
// makes `npm ci` refuse the lock file.
const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || mtime('package-lock.json') > mtime(installed) || mtime('package.json') > mtime(installed)) {
  console.log('[tickwire] installing dependencies');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

const tsc = (...tscArgs) => run(process.execPath, ['node_modules/typescript/bin/tsc', ...tscArgs]);
tsc('-p', 'tsconfig.build.json');
// Tests are transpiled without type checks (@swc/jest); the compiler checks them here instead.
if (mode === 'test') tsc('--noEmit', '-p', 'tsconfig.json');

const child =
  mode === 'test'
    ? spawn(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js', ...args], {
        stdio: 'inherit',
        env: { ...process.env, NODE_ENV: 'test' },
      })
    : spawn(process.execPath, ['dist/apps/launcher/main.js', ...args], { stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
