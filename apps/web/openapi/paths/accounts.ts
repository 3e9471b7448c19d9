// POST /api/auth/register, POST /api/auth/login, GET /api/auth/me.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { loginBody, registerBody } from '../../schemas/accounts.js';
import { loginResponse, meResponse, registerResponse } from '../../schemas/responses/accounts.js';
import { json, operationsOf, type ApiDocumentSettings } from '../settings.js';

export function registerAccountPaths(registry: OpenAPIRegistry, { config }: ApiDocumentSettings): void {
  const { windowSeconds, perIp, perAccount } = config.authLimits;
  const window = `${windowSeconds} s`;
  const operation = operationsOf(registry, 'Accounts');

  operation({
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    summary: 'Create an account',
    description: `Returns the new user and a token, so the client is logged in at once. Limited to ${perIp} attempts per IP and ${perAccount} per email per ${window}.`,
    body: registerBody,
    responses: { 201: json('Registered.', registerResponse) },
    errors: ['VALIDATION_FAILED', 'EMAIL_TAKEN', 'USERNAME_TAKEN', ['RATE_LIMITED', `more than ${perIp} registrations per IP, or ${perAccount} per email, in ${window}`]],
  });

  operation({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Log in with email or username',
    description: `Returns a JWT valid ${config.auth.jwtExpiresInSeconds} s. A failure is one answer whether the account exists or not. Limited to ${perIp} attempts per IP and ${perAccount} failures per account per ${window}.`,
    body: loginBody,
    responses: { 200: json('Logged in.', loginResponse) },
    errors: ['VALIDATION_FAILED', 'INVALID_CREDENTIALS', ['RATE_LIMITED', `more than ${perIp} attempts per IP, or ${perAccount} failures per account, in ${window}`]],
  });

  operation({
    method: 'get',
    path: '/api/auth/me',
    operationId: 'me',
    summary: 'The logged-in user',
    bearer: true,
    responses: { 200: json('The user of the token.', meResponse) },
  });
}
