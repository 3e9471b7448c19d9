// The per-socket message rate limit against a real server: a burst of 1 000 subscribes is refused
// with RATE_LIMITED past SOCKET_MESSAGES_PER_SECOND while another client is still answered
// promptly; a socket that keeps flooding for seconds is disconnected.
import { subscribe } from '../../lib/realtime/client.js';
import type { SubscriptionAck } from '../../lib/realtime/events.js';
import { FLOOD_SECONDS } from '../../apps/web/socket/message-rate-limit.js';
import { disconnection, recordEvents, sleep, socketWebPerFile, type SocketWeb, type TestUser } from '../support/socket-web.js';

const RATE = 20;

describe('socket message rate limit', () => {
  let web: SocketWeb;
  let user: TestUser;
  const clients = socketWebPerFile({ overrides: { SOCKET_MESSAGES_PER_SECOND: String(RATE) } }, (started, registered) => {
    web = started;
    user = registered;
  });

  it('refuses a burst of 1 000 subscribes past the rate with RATE_LIMITED, while another client is answered promptly', async () => {
    const flooder = await clients.connected(web.url, user.token);
    const calm = await clients.connected(web.url, user.token);
    const flooderEvents = recordEvents(flooder);

    const started = Date.now();
    const acks = Array.from({ length: 1000 }, (_, index) => subscribe(flooder, [`F${index}`], 20_000));
    // Sent behind the whole burst on the server's event loop: answered (within subscribe's
    // deadline) and accepted, because the flooder's bucket is not the calm client's. How many ms
    // it takes is the machine's business, not this test's.
    const calmAck = await subscribe(calm, ['CALM'], 10_000);
    expect(calmAck).toEqual({ ok: true, subscribed: ['CALM'], rejected: [] });

    const results: SubscriptionAck[] = await Promise.all(acks);
    const burstSeconds = (Date.now() - started) / 1000;
    const accepted = results.filter((ack) => ack.ok);
    const refused = results.filter((ack) => !ack.ok);
    // The bucket holds one second's worth, and refills at the rate while the burst lasts.
    expect(accepted.length).toBeGreaterThanOrEqual(RATE);
    expect(accepted.length).toBeLessThanOrEqual(RATE + Math.ceil(burstSeconds * RATE) + 1);
    expect(refused.length).toBe(1000 - accepted.length);
    for (const ack of refused) {
      expect(ack).toEqual({ ok: false, subscribed: expect.any(Array), rejected: [{ ticker: expect.stringMatching(/^\["F\d+"\]$/), code: 'RATE_LIMITED', reason: expect.any(String) }] });
    }
    // Refused messages were not processed: only the accepted ones are subscribed.
    const last = results.at(-1)!;
    expect(last.subscribed).toHaveLength(accepted.length);

    // At most one subscription_error per second tells the client why.
    const errors = flooderEvents.filter((event) => event.event === 'subscription_error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(Math.ceil(burstSeconds) + 1);
    expect(errors[0]!.args[0]).toEqual({ rejected: [{ ticker: expect.any(String), code: 'RATE_LIMITED', reason: expect.any(String) }] });
    expect(flooderEvents.filter((event) => event.event === 'subscribed')).toHaveLength(accepted.length);

    // A burst is not a reason to disconnect: once the bucket refills, the socket works again.
    await sleep(1100);
    expect(flooder.connected).toBe(true);
    expect(await subscribe(flooder, ['AFTER'])).toMatchObject({ ok: true, rejected: [] });
  });

  it(`disconnects a socket that keeps flooding at many times the rate for ${FLOOD_SECONDS} seconds`, async () => {
    const flooder = await clients.connected(web.url, user.token);
    const calm = await clients.connected(web.url, user.token);
    const reason = disconnection(flooder, 15_000);
    const started = Date.now();
    // 1 000 messages a second, 50 times the rate, until the server hangs up (or 10 s pass).
    const timer = setInterval(() => {
      for (let index = 0; index < 100; index += 1) flooder.emit('subscribe', ['FLOOD']);
    }, 100);
    try {
      expect(await reason).toBe('io server disconnect');
    } finally {
      clearInterval(timer);
    }
    // Not on the first burst: only after the flood has lasted FLOOD_SECONDS windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual((FLOOD_SECONDS - 1) * 1000);
    expect(calm.connected).toBe(true);
    expect(await subscribe(calm, ['CALM'])).toMatchObject({ ok: true });
  });
});
