// Signing and verifying access tokens: HS256 only, always with expiry, issuer and audience.
// REST (through passport-jwt) and the socket handshake share these settings, so both accept
// exactly the same tokens.
import { createSecretKey } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { Config } from '../../config/index.js';
import { DomainError } from '../platform/domain-error.js';

const JWT_ALGORITHM = 'HS256' as const;

export interface TokenClaims {
  /** The user's id, as a string (`sub`). */
  readonly sub: string;
  readonly exp: number;
  readonly iat: number;
}

/** A payload is ours only with a numeric user id, an expiry and an issue time. */
export function isTokenClaims(payload: string | JwtPayload): payload is JwtPayload & TokenClaims {
  return typeof payload === 'object' && /^\d+$/.test(String(payload.sub ?? '')) && typeof payload.exp === 'number' && typeof payload.iat === 'number';
}

export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService(auth: Config['auth']) {
  /** The options jsonwebtoken verifies with: the single algorithm, issuer and audience. */
  const parties = { issuer: auth.jwtIssuer, audience: auth.jwtAudience };
  const verifyOptions = { algorithms: [JWT_ALGORITHM] as [typeof JWT_ALGORITHM], ...parties };
  const signOptions = { algorithm: JWT_ALGORITHM, expiresIn: auth.jwtExpiresInSeconds, ...parties };
  // The secret as a KeyObject, made once, also for passport-jwt: given the string instead,
  // jsonwebtoken first tries (and fails) to parse it as a PEM public key on every call, which was
  // most of a socket handshake's CPU.
  const key = createSecretKey(Buffer.from(auth.jwtSecret, 'utf8'));
  return {
    key,
    verifyOptions,
    sign(user: { id: number; email: string }) {
      const token = jwt.sign({}, key, { ...signOptions, subject: String(user.id) });
      return { token, expiresIn: auth.jwtExpiresInSeconds };
    },
    /** Verified claims; throws DomainError TOKEN_INVALID or TOKEN_EXPIRED. */
    verify(token: string): TokenClaims {
      try {
        const payload = jwt.verify(token, key, verifyOptions);
        if (isTokenClaims(payload)) return { sub: payload.sub, exp: payload.exp, iat: payload.iat };
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) throw new DomainError('TOKEN_EXPIRED', 'The token has expired');
      }
      throw new DomainError('TOKEN_INVALID', 'The token is not valid');
    },
  };
}
