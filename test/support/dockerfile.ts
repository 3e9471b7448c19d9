// docker/Dockerfile as the container tests read it, through dockerfile-ast: the build stages with
// their instructions, and the parts of COPY/ADD, ENV and exec-form instructions.
import { DockerfileParser, Env, From, JSONInstruction, type Instruction } from 'dockerfile-ast';

export interface Stage {
  readonly name: string | undefined;
  /** The FROM image, with the global ARG defaults substituted. */
  readonly image: string;
  readonly instructions: readonly Instruction[];
}

export function dockerfileStages(text: string): Stage[] {
  const stages: Array<Stage & { instructions: Instruction[] }> = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction instanceof From) stages.push({ name: instruction.getBuildStage() ?? undefined, image: instruction.getExpandedArguments()[0]!.getValue(), instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** An instruction's arguments as written, continuation lines joined (flags of COPY and ADD left out). */
export const argsOf = (instruction: Instruction): string => instruction.getArgumentsContent() ?? '';

/** The argv of an exec-form (JSON array) instruction; undefined for the shell form. */
export function execForm(instruction: Instruction): string[] | undefined {
  const strings = instruction instanceof JSONInstruction ? instruction.getJSONStrings() : [];
  return strings.length > 0 ? strings.map((string) => string.getJSONValue()) : undefined;
}

/** The `--from` stage, the sources and the destination of a COPY or ADD. */
export function copyParts(instruction: Instruction): { from: string | undefined; sources: string[]; destination: string } {
  if (!(instruction instanceof JSONInstruction)) throw new Error(`${instruction.getKeyword()} is not a COPY or ADD`);
  const words = execForm(instruction) ?? instruction.getArguments().map((argument) => argument.getValue());
  const from = instruction.getFlags().find((flag) => flag.getName() === 'from')?.getValue() ?? undefined;
  return { from, sources: words.slice(0, -1), destination: words.at(-1)! };
}

/** `ENV A=1 B=2` (or the legacy `ENV A 1`) as a map. */
export function envPairs(instruction: Instruction): Record<string, string> {
  if (!(instruction instanceof Env)) throw new Error(`${instruction.getKeyword()} is not an ENV`);
  return Object.fromEntries(instruction.getProperties().map((property) => [property.getName(), property.getUnescapedValue() ?? '']));
}
