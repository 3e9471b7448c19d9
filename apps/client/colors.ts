// ANSI colours for the live table, or none at all (NO_COLOR).

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

/** Keyed by Direction too (`up`, `down`, `flat`), so a trend picks its colour directly. */
export function palette(enabled: boolean) {
  if (!enabled) return { up: plain, down: plain, flat: plain, dim: plain, warn: plain, bold: plain };
  return { up: sgr(32, 39), down: sgr(31, 39), flat: plain, dim: sgr(2, 22), warn: sgr(33, 39), bold: sgr(1, 22) };
}

export type Palette = ReturnType<typeof palette>;

/** Width on screen: without colour codes (the table's characters are all one column wide). */
export const visibleWidth = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;
