import { Router, type RequestHandler } from 'express';
import { DomainError } from '../../../lib/platform/domain-error.js';
import type { WebContext } from '../context.js';
import { currentUser } from '../middleware/authenticate.js';
import { loginBody, registerBody } from '../schemas/accounts.js';
import { parse } from '../validation.js';

const publicUser = (user: { id: number; email: string; username: string; createdAt: Date }) => ({
  id: user.id,
  email: user.email,
  username: user.username,
  createdAt: user.createdAt.toISOString(),
});

export function authRoutes({ accounts, tokens, authLimiters: limiters, requireUser }: Pick<WebContext, 'accounts' | 'tokens' | 'authLimiters'> & { readonly requireUser: RequestHandler }): Router {
  const router = Router();

  router.post('/register', async (req, res) => {
    await limiters.registerPerIp.consume(req.ip ?? 'unknown');
    const body = parse(registerBody, req.body);
    await limiters.registerPerAccount.consume(body.email.trim().toLowerCase());
    const user = await accounts.register(body);
    const { token } = tokens.sign(user);
    res.status(201).json({ message: 'User registered successfully', user: publicUser(user), token });
  });

  router.post('/login', async (req, res) => {
    await limiters.loginPerIp.consume(req.ip ?? 'unknown');
    const body = parse(loginBody, req.body);
    const accountKey = ('email' in body ? body.email : body.username).trim().toLowerCase();
    await limiters.loginPerAccount.check(accountKey);
    try {
      const user = await accounts.authenticate(body, body.password);
      await limiters.loginPerAccount.reset(accountKey);
      const { token, expiresIn } = tokens.sign(user);
      const { id, email, username } = user;
      res.json({ message: 'Login successful', token, expiresIn, user: { id, email, username } });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') await limiters.loginPerAccount.consume(accountKey).catch(() => undefined);
      throw error;
    }
  });

  router.get('/me', requireUser, (req, res) => {
    res.json({ user: publicUser(currentUser(req)) });
  });

  return router;
}
