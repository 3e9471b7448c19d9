// Reads a Compose file as Docker Compose does: YAML with merge keys (`<<: *anchor`), then `${VAR}`
// interpolation of values from an environment, with Compose's forms and errors.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export function readComposeFile(file: string): unknown {
  return parse(readFileSync(file, 'utf8'), { merge: true });
}

export class InterpolationError extends Error {
  override readonly name = 'InterpolationError';
}

type Env = Readonly<Record<string, string | undefined>>;

// $$ | ${NAME} | ${NAME<op>word} with op one of :- - :? ? :+ + | $NAME
const REFERENCE = /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|(.?))/g;

function interpolateString(text: string, env: Env, where: string): string {
  return text.replace(REFERENCE, (whole, dollar: string | undefined, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    if (dollar) return '$';
    const name = braced ?? bare;
    if (!name) throw new InterpolationError(`${where}: invalid interpolation format in "${text}" at "${whole}"`);
    const value = env[name];
    const set = value !== undefined;
    const filled = set && value !== '';
    switch (op) {
      case undefined:
        return value ?? '';
      case ':-':
        return filled ? value! : word!;
      case '-':
        return set ? value! : word!;
      case ':?':
      case '?':
        if (op === ':?' ? !filled : !set) throw new InterpolationError(`${where}: required variable ${name} is missing a value: ${word}`);
        return value!;
      case ':+':
        return filled ? word! : '';
      case '+':
        return set ? word! : '';
      default:
        throw new InterpolationError(`${where}: invalid interpolation format in "${text}"`);
    }
  });
}

/** Every string value below `value` interpolated from `env` (keys are left as they are, as Compose does). */
export function interpolate<T>(value: T, env: Env, where = ''): T {
  if (typeof value === 'string') return interpolateString(value, env, where) as T;
  if (Array.isArray(value)) return value.map((item, index) => interpolate(item, env, `${where}[${index}]`)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, env, where ? `${where}.${key}` : key)])) as T;
  }
  return value;
}

/** A service's `environment` (map or `KEY=value` list) as a map of strings. */
export function environmentOf(service: { environment?: unknown }): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry: string) => [entry.split('=')[0]!, entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : '']));
  }
  return Object.fromEntries(Object.entries(environment as Record<string, unknown>).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** A Compose duration (Go's syntax: `1m30s`, `500ms`) in milliseconds. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== text) throw new Error(`not a duration: "${text}"`);
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * units[unit!]!, 0);
}
