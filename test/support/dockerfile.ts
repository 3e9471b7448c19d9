// A small Dockerfile reader for the container tests: instructions (continuation lines joined,
// comments dropped) grouped into build stages, and the parts of COPY, ENV and exec-form commands.

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  readonly name: string | undefined;
  /** The FROM image, with global ARG defaults substituted. */
  readonly image: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  readonly globalArgs: Readonly<Record<string, string>>;
  readonly stages: readonly Stage[];
}

function instructionsOf(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const trimmed = raw.trim();
    // Comment lines are dropped even inside a continued instruction, as Docker does.
    if (trimmed.startsWith('#') || (!trimmed && !pending)) continue;
    const continues = trimmed.endsWith('\\');
    const part = continues ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(part);
    if (continues) continue;
    const joined = pending.parts.filter(Boolean).join(' ');
    const match = /^(\S+)\s*(.*)$/.exec(joined)!;
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!, line: pending.line });
    pending = undefined;
  }
  return instructions;
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: Array<{ name: string | undefined; image: string; instructions: Instruction[] }> = [];
  for (const instruction of instructionsOf(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const image = words[0]!.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => globalArgs[name] ?? whole);
      stages.push({ name: words[1]?.toUpperCase() === 'AS' ? words[2] : undefined, image, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [name, value = ''] = instruction.args.split('=');
        globalArgs[name!.trim()] = value.trim();
      }
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `--flag=value` options, then the sources and the destination of a COPY or ADD. */
export function copyParts(args: string): { flags: Record<string, string>; sources: string[]; destination: string } {
  const words = args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [flag, value = ''] = words.shift()!.slice(2).split('=');
    flags[flag!] = value;
  }
  return { flags, sources: words.slice(0, -1), destination: words.at(-1)! };
}

/** `ENV A=1 B=2` (or the legacy `ENV A 1`) as a map. */
export function envPairs(args: string): Record<string, string> {
  if (!args.includes('=')) {
    const [name, ...rest] = args.split(/\s+/);
    return { [name!]: rest.join(' ') };
  }
  return Object.fromEntries([...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)].map(([, name, value]) => [name!, value!.replace(/^"|"$/g, '')]));
}

/** The argv of an exec-form (JSON array) CMD, ENTRYPOINT or RUN; undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith('[')) return undefined;
  return JSON.parse(args) as string[];
}
