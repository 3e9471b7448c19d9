// Reads a Procfile (`name: command` per line, `#` comments), as Heroku-style runners do.

export interface ProcfileEntry {
  readonly name: string;
  readonly command: string;
}

export function parseProcfile(text: string): ProcfileEntry[] {
  const entries: ProcfileEntry[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^([A-Za-z0-9_-]+):\s*(.+)$/.exec(line);
    if (!match) throw new Error(`Procfile line ${index + 1} is not "name: command": ${line}`);
    entries.push({ name: match[1]!, command: match[2]! });
  }
  return entries;
}
