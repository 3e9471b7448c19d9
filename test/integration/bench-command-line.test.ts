// The bench scripts, run as built, answer --help with their usage and refuse a bad command line
// with exit 64 and a message, before they start anything.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../support/processes.js';

/** Long enough for a script's imports; a script that got past its checks would start a whole system and run over. */
const TIMEOUT_MS = 15_000;

function bench(script: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/bench', script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: TIMEOUT_MS });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('bench command lines', () => {
  it.each(['fanout.js', 'failover.js', 'storm.js', 'pipeline.js', 'rest.js', 'job-cost.js', 'login-timing.js', 'delivery-floor.js'])('%s --help prints its header, usage included, and exits 0', (script) => {
    const run = bench(script, '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: npm run build && node dist/bench/${script}`);
    expect(run.stdout).not.toMatch(/^\/\//m);
  });

  it.each([
    ['fanout.js', ['--nope'], "Unknown option '--nope'"],
    ['fanout.js', ['--clients', 'many'], '--clients / FANOUT_CLIENTS: not a positive number: many'],
    ['fanout.js', ['--subscriptions', '20', '--tickers', '10'], 'subscriptions (20) cannot exceed tickers (10)'],
    ['failover.js', ['--clients', '0'], '--clients: not a positive number: 0'],
    ['storm.js', ['--share', '2'], '--share: a share of the requests, at most 1: 2'],
    ['rest.js', ['x'], 'concurrency: not a positive number: x'],
    ['rest.js', ['1', '2', '3', '4'], 'takes at most 3 arguments (concurrency, seconds, watchlistSize), not 4'],
    ['pipeline.js', ['100,ten'], 'tickers: not a positive number: ten'],
    ['job-cost.js', ['--rounds', '3'], "unknown option '--rounds'"],
    ['delivery-floor.js', ['--server', 'uws'], '--server: ws or socket.io, not uws'],
    ['delivery-floor.js', ['--batch', '0'], '--batch: not a positive number: 0'],
  ])('%s %j is refused with exit 64', (script, args, message) => {
    const run = bench(script, ...args);
    expect(run.stderr).toContain(`${script}: ${message}`);
    expect(run.stderr).toContain('--help prints the usage');
    expect(run.status).toBe(64);
  });
});
