// passport-jwt strategy for REST: verifies with the token service's settings, then loads the
// user, so the token of a deleted user is refused.
import type { JwtPayload } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Orm } from '../db/orm.js';
import { User } from '../db/entities/index.js';
import { isTokenClaims, type TokenService } from './tokens.js';

export type AuthenticatedUser = Readonly<Pick<User, 'id' | 'email' | 'username' | 'createdAt'>>;

export function createJwtStrategy(tokens: TokenService, orm: Orm): Strategy {
  return new Strategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken.verify, which passport-jwt calls with it, takes a KeyObject; passport-jwt's
      // types predate that and name only strings and Buffers.
      secretOrKeyProvider: (_request, _token, done) => done(null, tokens.key as unknown as Buffer),
      ...tokens.verifyOptions,
    },
    (payload: JwtPayload, done: (error: unknown, user?: AuthenticatedUser | false, info?: unknown) => void) => {
      if (!isTokenClaims(payload)) return done(null, false, new Error('token lacks sub, exp or iat'));
      orm.em
        .fork()
        .findOne(User, { id: Number(payload.sub) })
        .then((user) => {
          if (!user) done(null, false, new Error('user no longer exists'));
          else done(null, { id: user.id, email: user.email, username: user.username, createdAt: user.createdAt });
        }, done);
    },
  );
}
