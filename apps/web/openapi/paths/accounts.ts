// POST /api/auth/register, POST /api/auth/login, GET /api/auth/me.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { loginBody, registerBody } from '../../schemas/accounts.js';
import { loginResponse, meResponse, registerResponse } from '../../schemas/responses/accounts.js';
import { BEARER_ERRORS, BODY_ERRORS, errorResponses, SERVICE_ERRORS } from '../error-responses.js';
import { bearerSecurity, type ApiDocumentSettings } from '../settings.js';

const TAG = 'Accounts';

export function registerAccountPaths(registry: OpenAPIRegistry, { config }: ApiDocumentSettings): void {
  const { windowSeconds, perIp, perAccount } = config.authLimits;
  const window = `${windowSeconds} s`;

  registry.registerPath({
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    tags: [TAG],
    summary: 'Create an account',
    description: `Returns the new user and a token, so the client is logged in at once. Limited to ${perIp} attempts per IP and ${perAccount} per email per ${window}.`,
    request: { body: { required: true, content: { 'application/json': { schema: registerBody } } } },
    responses: {
      201: { description: 'Registered.', content: { 'application/json': { schema: registerResponse } } },
      ...errorResponses('VALIDATION_FAILED', ...BODY_ERRORS, 'EMAIL_TAKEN', 'USERNAME_TAKEN', ['RATE_LIMITED', `more than ${perIp} registrations per IP, or ${perAccount} per email, in ${window}`], ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    tags: [TAG],
    summary: 'Log in with email or username',
    description: `Returns a JWT valid ${config.auth.jwtExpiresInSeconds} s. A failure is one answer whether the account exists or not. Limited to ${perIp} attempts per IP and ${perAccount} failures per account per ${window}.`,
    request: { body: { required: true, content: { 'application/json': { schema: loginBody } } } },
    responses: {
      200: { description: 'Logged in.', content: { 'application/json': { schema: loginResponse } } },
      ...errorResponses('VALIDATION_FAILED', ...BODY_ERRORS, 'INVALID_CREDENTIALS', ['RATE_LIMITED', `more than ${perIp} attempts per IP, or ${perAccount} failures per account, in ${window}`], ...SERVICE_ERRORS),
    },
  });

  registry.registerPath({
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    tags: [TAG],
    summary: 'The logged-in user',
    security: bearerSecurity,
    responses: {
      200: { description: 'The user of the token.', content: { 'application/json': { schema: meResponse } } },
      ...errorResponses(...BEARER_ERRORS, ...SERVICE_ERRORS),
    },
  });
}
