// .env.example documents every variable the config schema reads, and parses as it stands.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { buildConfig } from '../../config/index.js';
import { ENV_VARIABLES } from '../../config/schema.js';
import { ROOT } from '../support/processes.js';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('.env.example', () => {
  it('mentions every variable the schema reads', () => {
    const example = read('.env.example');
    expect(ENV_VARIABLES).toContain('FETCH_INTERVAL_MS');
    const undocumented = ENV_VARIABLES.filter((variable) => !new RegExp(`^#? ?${variable}=`, 'm').test(example));
    expect(undocumented).toEqual([]);
  });

  it('is a valid development configuration as written', () => {
    const example = dotenv.parse(read('.env.example'));
    const config = buildConfig(example);
    expect(config.env).toBe('development');
    expect(config.quotes.fetchIntervalMs).toBe(Number(example.FETCH_INTERVAL_MS ?? 20_000));
  });
});
