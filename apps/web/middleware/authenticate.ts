// Authentication through passport, refusals in the API's error shape: the Bearer token of REST
// (passport-jwt) here, the operators' HTTP Basic credentials in admin/ through the same gate.
import passport from 'passport';
import type { Request, RequestHandler } from 'express';
import { createJwtStrategy, type AuthenticatedUser } from '../../../lib/auth/jwt-strategy.js';
import type { TokenService } from '../../../lib/auth/tokens.js';
import type { Orm } from '../../../lib/db/orm.js';
import { HttpError } from '../http-error.js';

/** Lets a request through with the user `strategy` authenticates; else the 401 `refusal` makes of passport's info. */
export function passportGate(strategy: passport.Strategy, refusal: (info: unknown) => HttpError): RequestHandler {
  // An instance of our own, so tests and several apps in one process never share strategies.
  const authenticator = new passport.Passport();
  authenticator.use('gate', strategy);
  return (req, res, next) => {
    authenticator.authenticate('gate', { session: false }, (error: unknown, user: unknown, info: unknown) => {
      if (error) return next(error);
      if (!user) return next(refusal(info));
      res.locals.user = user;
      next();
    })(req, res, next);
  };
}

export function requireUser(tokens: TokenService, orm: Orm): RequestHandler {
  const refusal = (code: string, message: string) =>
    new HttpError(401, code, message, undefined, { 'WWW-Authenticate': 'Bearer' });
  return passportGate(createJwtStrategy(tokens, orm), (info) => {
    // Why passport refused: no token, an expired one, or any other fault of the token.
    const error = info as { name?: string; message?: string } | undefined;
    if (error?.name === 'TokenExpiredError') return refusal('TOKEN_EXPIRED', 'The token has expired');
    if (!error || error.message === 'No auth token') return refusal('AUTH_REQUIRED', 'A bearer token is required');
    return refusal('TOKEN_INVALID', 'The token is not valid');
  });
}

/** The user `requireUser` authenticated for this request (every caller is behind it). */
export function currentUser(req: Request): AuthenticatedUser {
  return (req.res!.locals as { user: AuthenticatedUser }).user;
}
