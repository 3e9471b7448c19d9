// The Socket.IO handshake and a socket's life against a real server: auth.token and Bearer header,
// each refusal code, the origin check, `welcome`, and `auth_expired` when the token runs out.
import { request } from 'node:http';
import jwt from 'jsonwebtoken';
import { connectError, disconnection, nextEvent, recordEvents, registerUser, socketWebPerFile, type SocketWeb, type TestUser } from '../support/socket-web.js';

describe('socket handshake and token life', () => {
  let web: SocketWeb;
  let user: TestUser;
  const clients = socketWebPerFile({}, (started, registered) => {
    web = started;
    user = registered;
  });

  const signed = (claims: { sub?: string; expiresInSeconds?: number; exp?: number }, secret = web.config.auth.jwtSecret) =>
    jwt.sign(claims.exp === undefined ? {} : { exp: claims.exp }, secret, {
      algorithm: 'HS256',
      issuer: web.config.auth.jwtIssuer,
      audience: web.config.auth.jwtAudience,
      ...(claims.sub ? { subject: claims.sub } : {}),
      ...(claims.expiresInSeconds === undefined ? {} : { expiresIn: claims.expiresInSeconds }),
    });

  it('accepts auth.token and greets once with welcome { message, userId }', async () => {
    const socket = clients.connect(web.url, { token: user.token });
    const events = recordEvents(socket);
    const welcome = await nextEvent(socket, 'welcome');
    expect(welcome).toEqual({ message: expect.any(String), userId: user.id });
    expect(welcome.message.length).toBeGreaterThan(0);
    // The ack proves the server handled everything sent before it; no second welcome came.
    await socket.timeout(2000).emitWithAck('subscribe', []);
    expect(events.filter((event) => event.event === 'welcome')).toHaveLength(1);
  });

  it('accepts an Authorization: Bearer header (server-side clients) and a "Bearer " prefix in auth.token', async () => {
    const byHeader = clients.connect(web.url, { extraHeaders: { Authorization: `Bearer ${user.token}` } });
    expect(await nextEvent(byHeader, 'welcome')).toEqual({ message: expect.any(String), userId: user.id });
    const prefixed = clients.connect(web.url, { token: `Bearer ${user.token}` });
    expect(await nextEvent(prefixed, 'welcome')).toEqual({ message: expect.any(String), userId: user.id });
  });

  it('accepts the default transports (long-polling, then the upgrade)', async () => {
    const socket = clients.connect(web.url, { token: user.token, transports: ['polling', 'websocket'] });
    expect(await nextEvent(socket, 'welcome')).toEqual({ message: expect.any(String), userId: user.id });
  });

  it.each([
    ['no token at all', 'AUTH_REQUIRED', () => ({})],
    ['an empty auth.token', 'AUTH_REQUIRED', () => ({ token: '' })],
    ['a garbage token', 'TOKEN_INVALID', () => ({ token: 'not.a.jwt' })],
    ['a token signed with another secret', 'TOKEN_INVALID', () => ({ token: signed({ sub: String(user.id), expiresInSeconds: 60 }, 'some-other-secret-of-enough-length!!') })],
    ['a token without a subject', 'TOKEN_INVALID', () => ({ token: signed({ expiresInSeconds: 60 }) })],
    ['a malformed Authorization header', 'TOKEN_INVALID', () => ({ extraHeaders: { Authorization: 'Basic abc' } })],
    ['an expired token', 'TOKEN_EXPIRED', () => ({ token: signed({ sub: String(user.id), exp: Math.floor(Date.now() / 1000) - 10 }) })],
    ['an expired token in the header', 'TOKEN_EXPIRED', () => ({ extraHeaders: { Authorization: `Bearer ${signed({ sub: String(user.id), exp: Math.floor(Date.now() / 1000) - 10 })}` } })],
  ])('refuses %s with connect_error "Authentication error…" and data.code %s', async (_label, code, options) => {
    const socket = clients.connect(web.url, options());
    const error = await connectError(socket);
    expect(error.message).toMatch(/^Authentication error/);
    expect(error.data).toEqual({ code });
    expect(socket.connected).toBe(false);
  });

  it('refuses the token of a deleted user with TOKEN_INVALID', async () => {
    const doomed = await registerUser(web);
    await web.context.orm.em.fork().getConnection().execute('delete from users where id = ?', [doomed.id]);
    const error = await connectError(clients.connect(web.url, { token: doomed.token }));
    expect(error.message).toMatch(/^Authentication error/);
    expect(error.data).toEqual({ code: 'TOKEN_INVALID' });
  });

  function handshakeStatus(origin: string | undefined): Promise<{ status: number; allowOrigin: string | undefined }> {
    return new Promise((resolve, reject) => {
      const call = request(`${web.url}/socket.io/?EIO=4&transport=polling`, { headers: origin ? { Origin: origin } : {} }, (response) => {
        response.resume();
        const allowOrigin = response.headers['access-control-allow-origin'];
        resolve({ status: response.statusCode ?? 0, allowOrigin: typeof allowOrigin === 'string' ? allowOrigin : undefined });
      });
      call.on('error', reject);
      call.end();
    });
  }

  it('refuses a handshake from an Origin outside CORS_ORIGINS, allows listed ones and none', async () => {
    const [allowed] = web.config.http.corsOrigins;
    expect(allowed).toBe('http://localhost:3000');
    expect(await handshakeStatus('http://evil.example')).toMatchObject({ status: 403 });
    expect(await handshakeStatus('null')).toMatchObject({ status: 403 });
    expect(await handshakeStatus(allowed)).toEqual({ status: 200, allowOrigin: allowed });
    expect(await handshakeStatus(undefined)).toMatchObject({ status: 200 });

    // The same through a WebSocket upgrade (Node's XHR will not set Origin, so polling is the raw
    // request above).
    const refused = clients.connect(web.url, { token: user.token, extraHeaders: { Origin: 'http://evil.example' } });
    await expect(connectError(refused)).resolves.toBeInstanceOf(Error);
    const accepted = clients.connect(web.url, { token: user.token, extraHeaders: { Origin: allowed! } });
    expect(await nextEvent(accepted, 'welcome')).toMatchObject({ userId: user.id });
  });

  it('sends auth_expired when the token expires, then disconnects the socket', async () => {
    // The shortest JWT_EXPIRES_IN is 30 s, so this token is signed here: same secret, issuer,
    // audience and algorithm as the token service, expiring in 2 s.
    const token = signed({ sub: String(user.id), expiresInSeconds: 2 });
    const socket = clients.connect(web.url, { token });
    await nextEvent(socket, 'welcome');
    const events = recordEvents(socket);
    const reason = disconnection(socket, 6000);
    const expired = await nextEvent(socket, 'auth_expired', 6000);
    expect(expired).toEqual({ message: expect.any(String) });
    // `io server disconnect`: the server ended it, and the client does not reconnect by itself.
    expect(await reason).toBe('io server disconnect');
    expect(events.map((event) => event.event)).toEqual(['auth_expired']);
    expect(Date.now() / 1000).toBeGreaterThanOrEqual((jwt.decode(token) as { exp: number }).exp - 0.05);
  });

  it('keeps a socket whose token is still valid connected past that moment', async () => {
    const shortLived = clients.connect(web.url, { token: signed({ sub: String(user.id), expiresInSeconds: 2 }) });
    const longLived = clients.connect(web.url, { token: user.token });
    await Promise.all([nextEvent(shortLived, 'welcome'), nextEvent(longLived, 'welcome')]);
    await disconnection(shortLived, 6000);
    expect(longLived.connected).toBe(true);
    await expect(longLived.timeout(2000).emitWithAck('subscribe', 'AAPL')).resolves.toMatchObject({ ok: true });
  });
});
