/** What the infrastructure host tells the launcher over IPC. */
export type InfraHostMessage =
  | { type: 'ready'; databaseUrl: string; redisUrl: string }
  | { type: 'failed'; message: string };
