// One PostgreSQL connection of the process that LISTENs on a channel. A notification sent while
// nobody listens is lost for good, so this says exactly when it listens (`onListening`) and when
// it may have missed one (`onLost`: the connection ended, failed, or stopped answering its
// heartbeat); a cache invalidated by the notifications trusts itself only in between. It
// reconnects by itself, forever, with a jittered delay. A plain `pg` client rather than the ORM's
// pool: LISTEN binds to one session, which a pool would hand to other queries and recycle.
import pg from 'pg';
import type { Logger } from '../platform/logger.js';
import { outageLog } from '../platform/outage-log.js';
import { reconnectDelay } from '../platform/reconnect-delay.js';

export interface ListenerSettings {
  readonly url: string;
  readonly channel: string;
  /** Longest a connect or the heartbeat may take. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

// How often the connection proves it is alive. A connection cut without a word (a NAT or a
// firewall dropping it) would otherwise look fine for hours while every notification is lost.
const HEARTBEAT_MS = 5000;

export function listenForNotifications(settings: ListenerSettings, handlers: {
  onNotification(payload: string): void;
  /** LISTEN is in place: every notification committed from now on arrives. */
  onListening(): void;
  /** Listening stopped: notifications may have been missed since. */
  onLost(): void;
}) {
  const { url, channel, timeoutMs } = settings;
  const logger = settings.logger.child({ listen: channel });
  const log = outageLog(logger, { done: `listening on ${channel}`, notDone: `not listening on ${channel}`, retry: 'reconnecting' });
  let closed = false;
  let attempt = 0;
  let listening: pg.Client | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, keepAlive: true, application_name: 'tickwire:listen' });
    let dropped = false;
    /** Ends the client for good (without waiting: a frozen server would never answer) and tries again. */
    const drop = (error: unknown) => {
      if (closed || dropped) return;
      dropped = true;
      if (client === listening) {
        listening = undefined;
        clearTimeout(heartbeat);
        handlers.onLost();
      }
      log.failed(error);
      client.end().catch(() => undefined);
      retry = setTimeout(connect, reconnectDelay((attempt += 1)));
    };
    // One ping at a time: the next is timed from the answer to the last, while this client listens.
    const ping = () => {
      heartbeat = setTimeout(() => {
        void client.query('select 1').then(() => client === listening && ping(), drop);
      }, HEARTBEAT_MS);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('connection ended')));
    client.on('notification', (message) => {
      if (client === listening && message.channel === channel) handlers.onNotification(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed) return void client.end().catch(() => undefined);
    // It may have failed between the LISTEN's answer and here: then the next attempt is on its way.
    if (dropped) return;
    listening = client;
    attempt = 0;
    log.succeeded();
    handlers.onListening();
    ping();
  }

  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(heartbeat);
      // Not awaited: a frozen server never answers the goodbye, and shutdown must not wait for it.
      void listening?.end().catch(() => undefined);
      listening = undefined;
    },
  };
}
