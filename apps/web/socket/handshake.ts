// The Socket.IO handshake's authentication: the same token verification as REST, plus the check
// that the user still exists (through the process's cache of known users, so thousands of
// handshakes a second do not queue for the database). A refusal reaches the client as
// `connect_error` with `data.code`.
import type { KnownUsers } from '../../../lib/accounts/known-users.js';
import type { TokenClaims, TokenService } from '../../../lib/auth/tokens.js';
import { DomainError } from '../../../lib/platform/domain-error.js';
import type { Logger } from '../../../lib/platform/logger.js';
import type { TickwireSocket } from './types.js';
import { DEPENDENCY_RETRY_AFTER_SECONDS } from '../middleware/errors.js';

export type HandshakeRefusalCode = 'AUTH_REQUIRED' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'SERVICE_UNAVAILABLE';

/** Socket.IO sends `message` and `data` of a middleware error to the client's `connect_error`. */
export class HandshakeRefusal extends Error {
  readonly data: { readonly code: HandshakeRefusalCode; readonly retryAfterSeconds?: number };

  constructor(code: HandshakeRefusalCode, message: string) {
    super(message);
    this.name = 'HandshakeRefusal';
    // The socket counterpart of REST's Retry-After header.
    this.data = code === 'SERVICE_UNAVAILABLE' ? { code, retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS } : { code };
  }
}

const refusal = (code: Exclude<HandshakeRefusalCode, 'SERVICE_UNAVAILABLE'>, reason: string) => new HandshakeRefusal(code, `Authentication error: ${reason}`);

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * `auth.token` (what browsers can send) or else `Authorization: Bearer` (server-side clients).
 * A `Bearer ` prefix inside auth.token is tolerated, since clients copy the REST header value.
 * Undefined when no token was given (AUTH_REQUIRED); null when what was given cannot be one.
 */
export function handshakeToken(auth: Record<string, unknown>, authorization: string | undefined): string | undefined | null {
  const given: unknown = auth.token;
  if (given !== undefined && given !== null && given !== '') {
    if (typeof given !== 'string') return null;
    return BEARER.exec(given)?.[1] ?? given;
  }
  if (!authorization) return undefined;
  return BEARER.exec(authorization)?.[1] ?? null;
}

export function authenticateHandshake(tokens: TokenService, users: Pick<KnownUsers, 'exists'>, logger: Logger) {
  const authenticate = async (socket: TickwireSocket): Promise<void> => {
    const token = handshakeToken(socket.handshake.auth, socket.handshake.headers.authorization);
    if (token === undefined) throw refusal('AUTH_REQUIRED', 'a token is required (auth.token or Authorization: Bearer)');
    if (token === null) throw refusal('TOKEN_INVALID', 'the token is not valid');
    let claims: TokenClaims;
    try {
      claims = tokens.verify(token);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'TOKEN_EXPIRED') throw refusal('TOKEN_EXPIRED', 'the token has expired');
      throw refusal('TOKEN_INVALID', 'the token is not valid');
    }
    const userId = Number(claims.sub);
    const exists = await users.exists(userId).catch((error: unknown) => {
      // Not the client's fault: no "Authentication error" prefix, so it does not ask for a new login.
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'socket handshake could not load the user');
      throw new HandshakeRefusal('SERVICE_UNAVAILABLE', 'Service unavailable: the account could not be checked; retry later');
    });
    // The token of a deleted account is refused, as REST refuses it.
    if (!exists) throw refusal('TOKEN_INVALID', 'the token is not valid');
    socket.data.userId = userId;
    socket.data.tokenExpiresAt = claims.exp;
  };

  return (socket: TickwireSocket, next: (error?: HandshakeRefusal) => void): void => {
    authenticate(socket).then(
      () => next(),
      (error: unknown) => {
        const refused = error instanceof HandshakeRefusal ? error : new HandshakeRefusal('SERVICE_UNAVAILABLE', 'Service unavailable: retry later');
        logger.debug({ code: refused.data.code, address: socket.handshake.address }, 'socket handshake refused');
        next(refused);
      },
    );
  };
}
