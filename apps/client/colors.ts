// ANSI colours for the live table, or none at all (NO_COLOR).

export interface Palette {
  readonly up: (text: string) => string;
  readonly down: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly warn: (text: string) => string;
  readonly bold: (text: string) => string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { up: plain, down: plain, dim: plain, warn: plain, bold: plain };
  return { up: sgr(32, 39), down: sgr(31, 39), dim: sgr(2, 22), warn: sgr(33, 39), bold: sgr(1, 22) };
}

/** Width on screen: without colour codes (the table's characters are all one column wide). */
export const visibleWidth = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;
