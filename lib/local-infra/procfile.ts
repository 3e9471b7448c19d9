// Reads a Procfile (`name: command` per line, `#` comments), as Heroku-style runners do.

export type ProcfileEntry = ReturnType<typeof parseProcfile>[number];

export function parseProcfile(text: string) {
  const entries: { name: string; command: string }[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line);
    if (!match) throw new Error(`Procfile line ${index + 1} is not "name: command": ${line}`);
    entries.push({ name: match[1]!, command: match[2]! });
  }
  return entries;
}
