#!/usr/bin/env node
// Runs the test suite (or the files named) several times in a row, exactly as `npm test` runs it,
// optionally with every core kept busy by a CPU burner, and prints each run's failures. A flake
// shows itself as a test that fails in one run and passes in the others; the table at the end says
// which tests failed in how many runs. Plain Node, no dependencies, like the bootstrap it calls.
//
//   npm run test:repeat -- [--runs 10] [--busy 100] [--stop-early] [-- jest arguments...]
//
//   --runs N       how many runs (default 10)
//   --busy P       while the runs go, one burner per core busy P % of the time (default 0: idle)
//   --stop-early   stop at the first failing run (by default every run is made)
//
// Every run's output and jest's JSON report are kept under .data/repeat/<start time>/.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BURN_PERIOD_MS = 100;

/** The run in progress, so Ctrl-C can end it; after Ctrl-C no further run starts. */
let current;
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
  current?.kill('SIGINT');
});

function usage(message) {
  console.error(`${message}\nusage: npm run test:repeat -- [--runs N] [--busy PERCENT] [--stop-early] [-- jest arguments...]`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { runs: 10, busy: 0, stopEarly: false, jestArgs: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const number = () => {
      const value = Number(argv[++index]);
      if (!Number.isFinite(value)) usage(`${arg} needs a number`);
      return value;
    };
    if (arg === '--') {
      options.jestArgs.push(...argv.slice(index + 1));
      break;
    } else if (arg === '--runs') options.runs = number();
    else if (arg === '--busy') options.busy = number();
    else if (arg === '--stop-early') options.stopEarly = true;
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else options.jestArgs.push(arg);
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) usage('--runs must be a whole number ≥ 1');
  if (options.busy < 0 || options.busy > 100) usage('--busy is a percentage, 0 to 100');
  return options;
}

/** The burner's own body: busy `percent` of every period, asleep the rest. */
function burn(percent) {
  const busyMs = (BURN_PERIOD_MS * percent) / 100;
  const cycle = () => {
    const until = Date.now() + busyMs;
    while (Date.now() < until);
    setTimeout(cycle, BURN_PERIOD_MS - busyMs);
  };
  cycle();
}

function startBurners(percent) {
  if (percent === 0) return [];
  return Array.from({ length: availableParallelism() }, () => fork(fileURLToPath(import.meta.url), ['--burn', String(percent)], { stdio: 'ignore' }));
}

/** One `npm test` (through the same bootstrap), its output to a log, its results as jest JSON. */
function runOnce(jestArgs, logFile, reportFile) {
  return new Promise((resolve) => {
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, ['apps/launcher/bootstrap.mjs', 'test', '--json', `--outputFile=${reportFile}`, ...jestArgs], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    current = child;
    child.on('close', (code) => {
      current = undefined;
      log.end(() => resolve(code ?? 1));
    });
  });
}

/** Failed tests of one run, from jest's JSON report (or why there is none). */
function failuresOf(reportFile, exitCode) {
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return { passed: 0, failed: [{ name: `(no jest report: the run exited ${exitCode} before jest finished; see its log)`, message: '' }] };
  }
  const failed = [];
  for (const file of report.testResults) {
    const relative = path.relative(ROOT, file.name);
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
    for (const test of failedTests) failed.push({ name: `${relative} › ${test.fullName}`, message: test.failureMessages.join('\n') });
    // A file that fails outside any test (a beforeAll, a syntax error) has no failed assertion.
    if (file.status === 'failed' && failedTests.length === 0) failed.push({ name: `${relative} (outside any test)`, message: file.message });
  }
  return { passed: report.numPassedTests, failed };
}

const firstLines = (text, count) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    // Jest's own frames say nothing about the test.
    .filter((line) => line.trim() !== '' && !/^\s*at .*node_modules/.test(line))
    .slice(0, count)
    .join('\n      ');

async function main({ runs, busy, stopEarly, jestArgs }) {
  const dir = path.join(ROOT, '.data', 'repeat', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(dir, { recursive: true });
  console.log(`[repeat] ${runs} runs of npm test ${jestArgs.join(' ') || '(whole suite)'}${busy ? `, ${availableParallelism()} cores kept ${busy} % busy` : ''}; logs in ${path.relative(ROOT, dir)}`);
  const burners = startBurners(busy);
  const stopBurners = () => burners.forEach((burner) => burner.kill('SIGKILL'));
  process.once('exit', stopBurners);
  const failedRuns = new Map();
  let failingRuns = 0;
  let completed = 0;
  for (let run = 1; run <= runs && !interrupted; run += 1) {
    const started = Date.now();
    const logFile = path.join(dir, `run-${run}.log`);
    const reportFile = path.join(dir, `run-${run}.json`);
    const code = await runOnce(jestArgs, logFile, reportFile);
    const { passed, failed } = failuresOf(reportFile, code);
    completed = run;
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(`[repeat] run ${run}/${runs}: ${passed} passed, ${failed.length} failed, exit ${code}, ${seconds} s`);
    for (const failure of failed) {
      console.log(`    ✗ ${failure.name}\n      ${firstLines(failure.message, 6)}`);
      failedRuns.set(failure.name, [...(failedRuns.get(failure.name) ?? []), run]);
    }
    if (code !== 0 || failed.length > 0) {
      failingRuns += 1;
      console.log(`    log: ${path.relative(ROOT, logFile)}`);
      if (stopEarly) break;
    }
  }
  stopBurners();
  console.log(`\n[repeat] ${completed - failingRuns} of ${completed} runs passed${busy ? ` with the cores ${busy} % busy` : ''}`);
  for (const [name, inRuns] of failedRuns) console.log(`    ${name}: failed in run${inRuns.length > 1 ? 's' : ''} ${inRuns.join(', ')}`);
  process.exitCode = failingRuns === 0 ? 0 : 1;
}

// Last, once everything above is defined: the same file is the burner, forked with --burn.
if (process.argv[2] === '--burn') {
  burn(Number(process.argv[3]));
} else {
  await main(parseArgs(process.argv.slice(2)));
}
