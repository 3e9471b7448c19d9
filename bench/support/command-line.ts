// The bench scripts' command lines. `--help` (or `-h`) prints the script's header comment, which
// is where its usage is written, and exits 0. A flag the script does not know, a stray argument or
// a value that is not a positive number says what was wrong and exits 64 (EX_USAGE): before, the
// first was a stack trace out of node:util, and the others ran for a minute on NaN.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** sysexits.h: the command was used incorrectly. */
const EX_USAGE = 64;

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** A script's leading `//` lines, without the slashes (tsc keeps comments, so the built file has them). */
function headerOf(file: string): string {
  const lines: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    lines.push(line.replace(/^\/\/ ?/, ''));
  }
  return `${lines.join('\n')}\n`;
}

/** `moduleUrl`: the script's own `import.meta.url`. */
export function benchCommandLine(moduleUrl: string) {
  const argv = process.argv.slice(2);
  const file = fileURLToPath(moduleUrl);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(headerOf(file));
    process.exit(0);
  }
  const fail = (message: string): never => {
    process.stderr.write(`${path.basename(file)}: ${message} (--help prints the usage)\n`);
    process.exit(EX_USAGE);
  };
  return {
    fail,
    /** The script's `--name value` flags; anything else on the command line is refused. */
    flags<O extends FlagOptions>(options: O): ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] {
      try {
        return parseArgs({ args: argv, options, strict: true }).values;
      } catch (error) {
        return fail(error instanceof Error ? error.message : String(error));
      }
    },
    /** The script's positional arguments, at most `names.length` of them (the names are for messages). */
    positionals(names: readonly string[]): readonly (string | undefined)[] {
      const flag = argv.find((arg) => arg.startsWith('-') && Number.isNaN(Number(arg)));
      if (flag !== undefined) fail(`unknown option '${flag}'`);
      if (argv.length > names.length) fail(`takes at most ${names.length} arguments (${names.join(', ')}), not ${argv.length}`);
      return names.map((_, index) => argv[index]);
    },
    /** `raw` as a positive number; `fallback` when it is missing or empty (refused without one). */
    positive(raw: string | undefined, name: string, fallback?: number): number {
      if (raw === undefined || raw === '') return fallback ?? fail(`${name}: missing`);
      const value = Number(raw);
      return Number.isFinite(value) && value > 0 ? value : fail(`${name}: not a positive number: ${raw}`);
    },
  };
}
