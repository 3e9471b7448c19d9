// Measures how long a failed login takes for an unknown user and for a wrong password, so the
// two can be compared (they should be indistinguishable). Needs the database of `npm start`
// (or DATABASE_URL). Usage: npm run build && node dist/bench/login-timing.js [trials]
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config/index.js';
import { createAccountsService } from '../lib/accounts/accounts-service.js';
import { applyMigrations, initOrm } from '../lib/db/orm.js';
import { User } from '../lib/db/entities/index.js';
import { benchCommandLine } from './support/command-line.js';

const commandLine = benchCommandLine(import.meta.url);
const [trialsArg] = commandLine.positionals(['trials']);
const trials = Math.floor(commandLine.positive(trialsArg, 'trials', 40));
const config = loadConfig();
const orm = await initOrm({ url: config.database.url, poolMax: 2 });
await applyMigrations(orm);
const accounts = createAccountsService(orm, { bcryptRounds: config.auth.bcryptSaltRounds });
const email = `bench-${Date.now()}@example.com`;
const user = await accounts.register({ email, password: 'the-real-password' });

async function timeFailure(who: { email: string }): Promise<number> {
  const start = performance.now();
  await accounts.authenticate(who, 'a-wrong-password').catch(() => undefined);
  return performance.now() - start;
}

const samples = { unknownUser: [] as number[], wrongPassword: [] as number[] };
await timeFailure({ email }); // warm-up (the dummy hash is computed on first use)
for (let i = 0; i < trials; i += 1) {
  samples.wrongPassword.push(await timeFailure({ email }));
  samples.unknownUser.push(await timeFailure({ email: `nobody-${i}@example.com` }));
}
await orm.em.fork().nativeDelete(User, { id: user.id });
await orm.close();

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
console.log(`failed login timing, bcrypt cost ${config.auth.bcryptSaltRounds}, ${trials} trials each`);
for (const [name, values] of Object.entries(samples)) {
  console.log(`${name.padEnd(14)} p50 ${pct(values, 50).toFixed(1)} ms  p95 ${pct(values, 95).toFixed(1)} ms`);
}
