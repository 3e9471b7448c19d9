// Finding and stopping a server a previous run left behind (a crash, a SIGKILL), so a new start
// never fails on a stale lock or a port still held by our own orphan.
import { readFile } from 'node:fs/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid on the first line of a pid file, or undefined when there is none. */
export async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return check();
}

/** Asks a leftover server to stop (it saves its data on this signal), then insists. */
export async function stopLeftover(pidFile: string, signal: NodeJS.Signals): Promise<number | undefined> {
  const pid = await readPid(pidFile);
  if (pid === undefined || pid === process.pid || !isAlive(pid)) return undefined;
  process.kill(pid, signal);
  if (!(await waitFor(() => !isAlive(pid), 15_000))) process.kill(pid, 'SIGKILL');
  return pid;
}
