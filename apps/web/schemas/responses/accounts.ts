// Answers of the account routes.
import { z } from 'zod';

const userFields = {
  id: z.number().int().meta({ example: 1 }),
  email: z.email().meta({ example: 'ada@example.com' }),
  username: z.string().meta({ example: 'ada' }),
};

export const userSchema = z.object({ ...userFields, createdAt: z.iso.datetime() }).meta({ id: 'User' });

const token = z.string().meta({ description: 'A JWT (HS256): send it as `Authorization: Bearer <token>`.' });

export const registerResponse = z
  .object({ message: z.string().meta({ example: 'User registered successfully' }), user: userSchema, token })
  .meta({ id: 'RegisterResponse' });

export const loginResponse = z
  .object({
    message: z.string().meta({ example: 'Login successful' }),
    token,
    expiresIn: z.number().int().meta({ description: 'Seconds until the token expires.', example: 3600 }),
    user: z.object(userFields),
  })
  .meta({ id: 'LoginResponse' });

export const meResponse = z.object({ user: userSchema }).meta({ id: 'MeResponse' });
