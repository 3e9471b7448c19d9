// Request bodies of the account routes; the OpenAPI description is generated from the same schemas.
import { z } from 'zod';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,30}$/;

const email = z.email('must be an email address').max(254, 'must be at most 254 characters');
// bcrypt reads at most 72 bytes; 128 characters bounds the work a request can ask for.
const password = z.string('must be a string').min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');
const username = z.string('must be a string').regex(USERNAME_PATTERN, 'must be 3-30 letters, digits, "_", "." or "-"');

export const registerBody = z
  .object({
    email: email.meta({ description: 'Stored lower-cased.', example: 'ada@example.com' }),
    password: password.meta({ example: 'correct horse battery' }),
    username: username.optional().meta({ description: 'Derived from the email when absent.', example: 'ada' }),
  })
  .meta({ id: 'RegisterRequest' });

export const loginBody = z.union(
  [
    z.object({ email: z.string('must be a string').max(254, 'must be at most 254 characters'), password: z.string('must be a string').max(128, 'must be at most 128 characters') }),
    z.object({ username: z.string('must be a string').max(30, 'must be at most 30 characters'), password: z.string('must be a string').max(128, 'must be at most 128 characters') }),
  ],
  'send { email, password } or { username, password }',
).meta({ id: 'LoginRequest', description: 'Either the email or the username, with the password.' });
