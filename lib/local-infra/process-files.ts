// Stopping processes within a deadline: our own children, and a server a previous run left behind
// (a crash, a SIGKILL), so a new start never fails on a stale lock or a port held by our own orphan.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** A zombie (exited, not yet reaped by a parent that is not us) answers signals but is gone. */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
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

export async function pidFileAlive(pidFile: string): Promise<boolean> {
  const pid = await readPid(pidFile);
  return pid !== undefined && isAlive(pid);
}

/**
 * Asks the server of a pid file to stop (it saves its data on this signal), then insists with
 * SIGKILL after `timeoutMs`. Whoever started it (us, an earlier run, an operator's pg_ctl), this
 * never waits on a child process that has already exited.
 */
export async function stopLeftover(pidFile: string, signal: NodeJS.Signals, timeoutMs = 15_000): Promise<number | undefined> {
  const pid = await readPid(pidFile);
  if (pid === undefined || pid === process.pid || !isAlive(pid)) return undefined;
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Gone meanwhile: that is what we wanted.
    }
  };
  send(signal);
  if (!(await waitFor(() => !isAlive(pid), timeoutMs))) {
    send('SIGKILL');
    await waitFor(() => !isAlive(pid), 1000, 20);
  }
  return pid;
}

/**
 * Asks a child to stop (`ask`, SIGTERM unless told otherwise) and SIGKILLs it if it still runs at
 * `deadline` (Date.now() ms): a frozen (SIGSTOPped) process never handles the polite request.
 */
export async function stopChild(child: ChildProcess, deadline: number, ask: () => unknown = () => child.kill('SIGTERM')): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  ask();
  const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(0, deadline - Date.now()));
  await exited;
  clearTimeout(timer);
}
