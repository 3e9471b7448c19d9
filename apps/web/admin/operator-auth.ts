// HTTP Basic authentication of operators (Bull Board, /metrics), through passport-http. Credentials come
// from config; the comparison is constant-time so a wrong guess leaks nothing through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { BasicStrategy } from 'passport-http';
import type { RequestHandler } from 'express';
import type { Config } from '../../../config/index.js';
import { HttpError } from '../http-error.js';
import { passportGate } from '../middleware/authenticate.js';

// Hashing first gives equal-length buffers, as timingSafeEqual requires, whatever was typed.
const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

const REALM = 'Tickwire operators';

export function requireOperator(credentials: NonNullable<Config['operators']['credentials']>): RequestHandler {
  const strategy = new BasicStrategy({ realm: REALM }, (username, password, done) => {
    // Both compared every time, so a right username with a wrong password takes as long as neither.
    const userOk = same(username, credentials.username);
    const passwordOk = same(password, credentials.password);
    done(null, userOk && passwordOk ? { username } : false);
  });
  // With the Basic challenge (passport's info on a refusal), so a browser still asks for the credentials.
  return passportGate(strategy, (challenge) => {
    const headers = { 'WWW-Authenticate': typeof challenge === 'string' ? challenge : `Basic realm="${REALM}"` };
    return new HttpError(401, 'AUTH_REQUIRED', 'Operator credentials are required', undefined, headers);
  });
}
