// HTTP Basic authentication of operators (Bull Board, /metrics), through passport-http. Credentials come
// from config; the comparison is constant-time so a wrong guess leaks nothing through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import passport from 'passport';
import { BasicStrategy } from 'passport-http';
import type { RequestHandler } from 'express';
import type { Config } from '../../../config/index.js';

// Hashing first gives equal-length buffers, as timingSafeEqual requires, whatever was typed.
const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const REALM = 'Tickwire operators';

export function requireOperator(credentials: NonNullable<Config['operators']['credentials']>): RequestHandler {
  const authenticator = new passport.Passport();
  authenticator.use(
    'operator',
    new BasicStrategy({ realm: REALM }, (username, password, done) => {
      // Both compared every time, so a right username with a wrong password takes as long as neither.
      const userOk = same(username, credentials.username);
      const passwordOk = same(password, credentials.password);
      done(null, userOk && passwordOk ? { username } : false);
    }),
  );
  return (req, res, next) => {
    // A custom callback so a refusal answers in API.md's error shape (with the Basic challenge,
    // so a browser still asks for the credentials) instead of passport's plain-text 401.
    authenticator.authenticate('operator', { session: false }, (error: unknown, user: unknown, challenge: unknown) => {
      if (error) return next(error);
      if (user) return next();
      res.set('WWW-Authenticate', typeof challenge === 'string' ? challenge : `Basic realm="${REALM}"`);
      return res.status(401).json({ error: 'Operator credentials are required', code: 'AUTH_REQUIRED' });
    })(req, res, next);
  };
}
