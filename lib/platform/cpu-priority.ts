// The worker and the scheduler step aside for the web process when they share a core: a wave's
// fan-out (thousands of socket writes every client waits on) then runs without being preempted by
// the worker's bookkeeping of the jobs that produced it, and a storm of handshakes is accepted
// sooner. Where each process has a core of its own, this changes nothing. Lowering a priority
// needs no privilege.
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Sets this process's nice value to `nice` when it is lower (a process started niced further
 * stays as it is). On Linux nice is per thread, so every thread is set; threads started later
 * take the value of the one that starts them. Returns the nice value now in effect.
 */
export function lowerCpuPriority(nice: number): number {
  for (const thread of threads()) {
    try {
      if (getPriority(thread) < nice) setPriority(thread, nice);
    } catch {
      // A thread that ended meanwhile; or a system that refuses, where the default priority is harmless.
    }
  }
  return getPriority();
}

/** Ids of this process's threads (Linux), or 0 (this process) where they cannot be listed. */
function threads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}
