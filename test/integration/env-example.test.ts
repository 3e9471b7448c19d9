// .env.example documents every variable the config schema reads, and parses as it stands.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { buildConfig } from '../../config/index.js';
import { ROOT } from '../support/processes.js';

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('.env.example', () => {
  it('mentions every variable the schema reads', () => {
    const schema = read('config/schema.ts');
    const variables = [...schema.matchAll(/^\s{4}([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1]);
    const example = read('.env.example');
    expect(variables.length).toBeGreaterThan(15);
    for (const variable of variables) expect(example).toMatch(new RegExp(`^#? ?${variable}=`, 'm'));
  });

  it('is a valid development configuration as written', () => {
    expect(() => buildConfig(dotenv.parse(read('.env.example')))).not.toThrow();
  });
});
