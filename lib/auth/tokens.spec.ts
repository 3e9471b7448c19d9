import jwt from 'jsonwebtoken';
import { buildConfig } from '../../config/index.js';
import { DomainError } from '../platform/domain-error.js';
import { createTokenService } from './tokens.js';

const { auth } = buildConfig({ NODE_ENV: 'test' });
const tokens = createTokenService(auth);

const codeOf = (token: string) => {
  try {
    tokens.verify(token);
  } catch (error) {
    return error instanceof DomainError ? error.code : 'unexpected';
  }
  return 'accepted';
};

describe('token service (the verification sockets will share with REST)', () => {
  it('verifies what it signs', () => {
    const { token, expiresIn } = tokens.sign({ id: 7, email: 'a@example.com' });
    expect(expiresIn).toBe(auth.jwtExpiresInSeconds);
    expect(tokens.verify(token)).toMatchObject({ sub: '7' });
  });

  it.each([
    ['expired', () => jwt.sign({ sub: '7', exp: Math.floor(Date.now() / 1000) - 10 }, auth.jwtSecret, { issuer: auth.jwtIssuer, audience: auth.jwtAudience }), 'TOKEN_EXPIRED'],
    ['alg none', () => jwt.sign({ sub: '7' }, '', { algorithm: 'none', expiresIn: 60, issuer: auth.jwtIssuer, audience: auth.jwtAudience }), 'TOKEN_INVALID'],
    ['wrong audience', () => jwt.sign({ sub: '7' }, auth.jwtSecret, { expiresIn: 60, issuer: auth.jwtIssuer, audience: 'other' }), 'TOKEN_INVALID'],
    ['no expiry', () => jwt.sign({ sub: '7' }, auth.jwtSecret, { issuer: auth.jwtIssuer, audience: auth.jwtAudience }), 'TOKEN_INVALID'],
  ])('refuses a %s token with %s', (_name, make, code) => {
    expect(codeOf(make())).toBe(code);
  });
});
