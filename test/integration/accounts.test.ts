import jwt from 'jsonwebtoken';
import request from 'supertest';
import { startTestWeb, type TestWeb } from '../support/web.js';
import { uniqueName } from '../support/infra.js';

const PASSWORD = 'correct-horse-battery';

describe('accounts: register, login, me', () => {
  let web: TestWeb;
  let app: TestWeb['app'];

  beforeAll(async () => {
    web = await startTestWeb({ AUTH_LIMIT_PER_IP: '1000' });
    app = web.app;
  });
  afterAll(() => web?.close());

  const newEmail = () => `${uniqueName('user')}@Example.COM`;
  const register = (body: object) => request(app).post('/api/auth/register').send(body);
  const login = (body: object) => request(app).post('/api/auth/login').send(body);
  const me = (token: string) => request(app).get('/api/auth/me').set('Authorization', `Bearer ${token}`);

  describe('register', () => {
    it('creates the user, stores the email lower-cased and the password hashed, and returns a working token', async () => {
      const email = newEmail();
      const username = uniqueName('u').slice(0, 20);
      const response = await register({ email, password: PASSWORD, username }).expect(201);
      expect(response.body).toEqual({
        message: 'User registered successfully',
        user: { id: expect.any(Number), email: email.toLowerCase(), username, createdAt: expect.stringMatching(/Z$/) },
        token: expect.any(String),
      });
      const rows = await web.context.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ email: string; password_hash: string }>>('select email, password_hash from users where id = ?', [response.body.user.id]);
      expect(rows).toEqual([{ email: email.toLowerCase(), password_hash: expect.stringMatching(/^\$2[aby]\$04\$.{53}$/) }]);
      expect(rows[0]!.password_hash).not.toContain(PASSWORD);
      const { body } = await me(response.body.token).expect(200);
      expect(body).toEqual({ user: response.body.user });
    });

    it('derives a username when the client sends none (first description)', async () => {
      const response = await register({ email: 'jane.doe+x@example.com', password: PASSWORD }).expect(201);
      expect(response.body.user.username).toBe('jane.doex');
      const again = await register({ email: 'jane.doe+x@example.org', password: PASSWORD }).expect(201);
      expect(again.body.user.username).toMatch(/^jane\.doex\d+$/);
    });

    it('answers 409 EMAIL_TAKEN for a duplicate email in any case, and 409 USERNAME_TAKEN for a duplicate username', async () => {
      const email = newEmail();
      await register({ email, password: PASSWORD, username: 'taken_name' }).expect(201);
      const sameEmail = await register({ email: email.toUpperCase(), password: PASSWORD }).expect(409);
      expect(sameEmail.body).toEqual({ error: 'An account with this email already exists', code: 'EMAIL_TAKEN' });
      const sameUsername = await register({ email: newEmail(), password: PASSWORD, username: 'taken_name' }).expect(409);
      expect(sameUsername.body).toEqual({ error: 'This username is taken', code: 'USERNAME_TAKEN' });
    });

    it.each([
      [{ email: 'not-an-email', password: PASSWORD }, 'email'],
      [{ email: 'a@example.com', password: 'short' }, 'password'],
      [{ email: 'a@example.com', password: 'x'.repeat(129) }, 'password'],
      [{ email: 'a@example.com', password: PASSWORD, username: 'no spaces allowed' }, 'username'],
      [{ email: 'a@example.com', password: PASSWORD, username: 'ab' }, 'username'],
      [{ email: ['a@example.com'], password: PASSWORD }, 'email'],
      [{ email: 'a@example.com', password: 12345678 }, 'password'],
      [{ password: PASSWORD }, 'email'],
    ])('answers 400 VALIDATION_FAILED for %j, naming %s', async (body, path) => {
      const response = await register(body).expect(400);
      expect(response.body).toMatchObject({ error: 'The request is not valid', code: 'VALIDATION_FAILED' });
      expect(response.body.details).toEqual([{ path, message: expect.any(String) }]);
    });
  });

  describe('login', () => {
    let user: { id: number; email: string; username: string };

    beforeAll(async () => {
      user = (await register({ email: newEmail(), password: PASSWORD, username: 'loginuser' }).expect(201)).body.user;
    });

    it.each(['email', 'username'] as const)('logs in by %s', async (by) => {
      const response = await login({ [by]: by === 'email' ? user.email.toUpperCase() : user.username, password: PASSWORD }).expect(200);
      expect(response.body).toEqual({
        message: 'Login successful',
        token: expect.any(String),
        expiresIn: 3600,
        user: { id: user.id, email: user.email, username: user.username },
      });
      await me(response.body.token).expect(200);
    });

    it('signs HS256 tokens with subject, expiry, issuer and audience', async () => {
      const { body } = await login({ email: user.email, password: PASSWORD }).expect(200);
      const decoded = jwt.decode(body.token, { complete: true })!;
      expect(decoded.header.alg).toBe('HS256');
      const payload = decoded.payload as jwt.JwtPayload;
      expect(payload).toMatchObject({ sub: String(user.id), iss: 'tickwire', aud: 'tickwire-clients' });
      expect(payload.exp! - payload.iat!).toBe(3600);
    });

    it('answers the same 401 INVALID_CREDENTIALS for a wrong password and an unknown user', async () => {
      const wrong = await login({ email: user.email, password: 'not-the-password' }).expect(401);
      const unknown = await login({ email: 'nobody@example.com', password: 'not-the-password' }).expect(401);
      const unknownName = await login({ username: 'nobody', password: 'not-the-password' }).expect(401);
      expect(wrong.body).toEqual({ error: 'Invalid credentials', code: 'INVALID_CREDENTIALS' });
      expect(unknown.body).toEqual(wrong.body);
      expect(unknownName.body).toEqual(wrong.body);
    });

    it.each([{}, { password: PASSWORD }, { email: 42, password: PASSWORD }, { email: 'x@example.com', password: 'p'.repeat(129) }])(
      'answers 400 VALIDATION_FAILED for %j',
      async (body) => {
        const response = await login(body).expect(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      },
    );
  });

  describe('token verification', () => {
    let user: { id: number };
    let secret: string;
    const claims = () => ({ sub: String(user.id) });
    const good = { issuer: 'tickwire', audience: 'tickwire-clients', expiresIn: 3600 } as const;

    beforeAll(async () => {
      user = (await register({ email: newEmail(), password: PASSWORD }).expect(201)).body.user;
      secret = web.config.auth.jwtSecret;
    });

    const refused = async (token: string | undefined, code: string) => {
      const req = request(app).get('/api/auth/me');
      if (token !== undefined) req.set('Authorization', token);
      const response = await req.expect(401);
      expect(response.body).toEqual({ error: expect.any(String), code });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    };

    it('accepts a token it signed', async () => {
      await me(jwt.sign(claims(), secret, { ...good, algorithm: 'HS256' })).expect(200);
    });

    it('answers 401 AUTH_REQUIRED without a token', async () => {
      await refused(undefined, 'AUTH_REQUIRED');
      await refused('Bearer', 'AUTH_REQUIRED');
      await refused('Basic dXNlcjpwYXNz', 'AUTH_REQUIRED');
    });

    it('answers 401 TOKEN_EXPIRED for an expired token', async () => {
      const expired = jwt.sign({ ...claims(), iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 60 }, secret, {
        algorithm: 'HS256',
        issuer: 'tickwire',
        audience: 'tickwire-clients',
      });
      await refused(`Bearer ${expired}`, 'TOKEN_EXPIRED');
    });

    it.each([
      ['forged (another secret)', () => jwt.sign(claims(), 'some-other-secret-that-is-long-enough', { ...good, algorithm: 'HS256' })],
      ['alg none', () => jwt.sign(claims(), '', { ...good, algorithm: 'none' })],
      ['another HMAC algorithm with the right secret', () => jwt.sign(claims(), secret, { ...good, algorithm: 'HS512' })],
      ['wrong audience', () => jwt.sign(claims(), secret, { ...good, audience: 'someone-else', algorithm: 'HS256' })],
      ['wrong issuer', () => jwt.sign(claims(), secret, { ...good, issuer: 'someone-else', algorithm: 'HS256' })],
      ['no expiry', () => jwt.sign(claims(), secret, { issuer: 'tickwire', audience: 'tickwire-clients', algorithm: 'HS256' })],
      ['no subject', () => jwt.sign({}, secret, { ...good, algorithm: 'HS256' })],
      ['garbage', () => 'not.a.token'],
    ])('answers 401 TOKEN_INVALID for a %s token', async (_name, make) => {
      await refused(`Bearer ${make()}`, 'TOKEN_INVALID');
    });

    it('refuses the token of a deleted user', async () => {
      const response = await register({ email: newEmail(), password: PASSWORD }).expect(201);
      await me(response.body.token).expect(200);
      await web.context.orm.em.fork().getConnection().execute('delete from users where id = ?', [response.body.user.id]);
      await refused(`Bearer ${response.body.token}`, 'TOKEN_INVALID');
    });
  });

  describe('transport hygiene', () => {
    it('refuses a 1 MB register body with 413 and malformed JSON with 400 INVALID_JSON', async () => {
      const huge = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) });
      const tooLarge = await request(app).post('/api/auth/register').set('Content-Type', 'application/json').send(huge).expect(413);
      expect(tooLarge.body).toEqual({ error: expect.stringContaining('larger than'), code: 'PAYLOAD_TOO_LARGE' });
      const malformed = await request(app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": "a@example.com",').expect(400);
      expect(malformed.body).toEqual({ error: 'The request body is not valid JSON', code: 'INVALID_JSON' });
    });

    it('sets helmet headers and answers CORS only for configured origins', async () => {
      const allowed = await request(app).get('/api/health').set('Origin', 'http://localhost:3000');
      expect(allowed.headers['x-content-type-options']).toBe('nosniff');
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      const other = await request(app).get('/api/health').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
