// `npm start`'s launcher as a test runs it: in a process group of its own (as a terminal session
// would), on free ports and a data folder of the test's own, and what it leaves behind.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { freePort, ROOT, startProcess, type RunningProcess } from './processes.js';

export interface LauncherPorts {
  readonly web: number;
  readonly postgres: number;
  readonly redis: number;
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Free ports for the launcher's servers; `webCount` web ports in a row from `web`. */
export async function launcherPorts(webCount = 1): Promise<LauncherPorts> {
  for (;;) {
    const [web, postgres, redis] = await Promise.all([freePort(), freePort(), freePort()]);
    const next = Array.from({ length: webCount - 1 }, (_, index) => web + index + 1);
    if (next.every((port) => port !== postgres && port !== redis) && (await Promise.all(next.map(portFree))).every(Boolean)) return { web, postgres, redis };
  }
}

/** Starts `dist/apps/launcher/main.js` in development mode with JSON logs. */
export function startLauncher(ports: LauncherPorts, dataDir: string, extra: Record<string, string> = {}): RunningProcess {
  return startProcess(
    'dist/apps/launcher/main.js',
    {
      NODE_ENV: 'development',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      PORT: String(ports.web),
      LOCAL_POSTGRES_PORT: String(ports.postgres),
      LOCAL_REDIS_PORT: String(ports.redis),
      DATA_DIR: path.relative(ROOT, dataDir),
      ...extra,
    },
    [],
    { detached: true },
  );
}

/** Ctrl-C in the launcher's terminal: SIGINT to its whole process group. */
export function interrupt(launcher: RunningProcess): void {
  process.kill(-launcher.child.pid!, 'SIGINT');
}

/** Processes still in the launcher's process group, or whose command line has one of `markers`. */
export function leftovers(groupId: number, markers: string[]): string[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .filter((line) => {
      const [, pgid] = line.trim().split(/\s+/);
      return Number(pgid) === groupId || markers.some((marker) => line.includes(marker));
    })
    .filter((line) => !line.includes('ps -eo'));
}

/** The JSON log lines the launcher printed for process `name` (its `[name ]` prefix), parsed. */
export function processLog(output: string, name: string): Array<Record<string, unknown>> {
  const prefix = new RegExp(`^\\[${name.replace(/[-]/g, '\\-')}\\s*\\] (\\{.*\\})$`);
  return output.split('\n').flatMap((line) => {
    const json = prefix.exec(line)?.[1];
    if (!json) return [];
    try {
      return [JSON.parse(json) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** How many times process `name` said it was ready, and the pid of the latest one. */
export function readiness(output: string, name: string, app = name.replace(/-\d+$/, '')): { count: number; pid: number | undefined } {
  const ready = processLog(output, name).filter((line) => line.msg === `${app} ready`);
  return { count: ready.length, pid: ready.at(-1)?.pid as number | undefined };
}
