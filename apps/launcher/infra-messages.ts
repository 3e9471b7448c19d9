/** What the launcher tells the infrastructure host: stop, done by `deadline` (Date.now() ms). */
export type LauncherMessage = { type: 'stop'; deadline?: number };

/** What the infrastructure host tells the launcher over IPC. */
export type InfraHostMessage =
  | { type: 'ready'; databaseUrl: string; redisUrl: string }
  | { type: 'failed'; message: string };
