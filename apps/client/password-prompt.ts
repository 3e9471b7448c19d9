// Asks for the password on the terminal without echoing it (raw mode: no line editing but
// backspace; Ctrl-C or Ctrl-D on an empty line cancels).
import type { ReadStream } from 'node:tty';
import type { Writable } from 'node:stream';

export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled';
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = new Set(['\u007f', '\b']);

export function promptPassword(question: string, input: ReadStream, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    // A paste arrives as one chunk: go through it character by character.
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (ENTER.has(char)) return finish();
        if (char === CTRL_C || (char === CTRL_D && !value)) return finish(new PromptCancelled('cancelled'));
        if (BACKSPACE.has(char)) value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    output.write(question);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}
