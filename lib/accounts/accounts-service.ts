// Registering and authenticating users. Duplicate emails and usernames are caught by the
// database's unique constraints, so two simultaneous registrations cannot both succeed.
import { randomInt } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import bcrypt from 'bcryptjs';
import type { Orm } from '../db/orm.js';
import { User } from '../db/entities/index.js';
import { DomainError } from '../platform/domain-error.js';

/** A username from the email's local part, for clients (first description) that send none. */
function usernameFromEmail(email: string): string {
  const base = (email.split('@')[0] ?? '').replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 24);
  return base.length >= 3 ? base : `user${base}`;
}

export function createAccountsService(orm: Orm, options: { bcryptRounds: number }) {
  // Compared against when the account does not exist, so an unknown user costs the same bcrypt
  // work as a wrong password and the two cannot be told apart by timing.
  const dummyHash = bcrypt.hash('tickwire-timing-equaliser', options.bcryptRounds);

  return {
    async register(input: { email: string; password: string; username?: string | undefined }): Promise<User> {
      const email = input.email.trim().toLowerCase();
      const passwordHash = await bcrypt.hash(input.password, options.bcryptRounds);
      const chosen = input.username?.trim();
      // A derived username may be taken: try it, then with a random suffix a few times.
      let username = chosen || usernameFromEmail(email);
      for (let attempt = 0; ; attempt += 1) {
        try {
          const user = new User({ email, username, passwordHash });
          await orm.em.fork().persistAndFlush(user);
          return user;
        } catch (error) {
          if (!(error instanceof UniqueConstraintViolationException)) throw error;
          const constraint = String((error as { constraint?: string }).constraint ?? error.message);
          if (constraint.includes('users_email_unique')) throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists');
          if (!constraint.includes('users_username_unique')) throw error;
          if (chosen || attempt >= 4) throw new DomainError('USERNAME_TAKEN', 'This username is taken');
          username = `${usernameFromEmail(email).slice(0, 23)}${randomInt(1_000_000)}`;
        }
      }
    },

    /** The user when the password matches; throws INVALID_CREDENTIALS otherwise, whatever the reason. */
    async authenticate(who: { email: string } | { username: string }, password: string): Promise<User> {
      const where = 'email' in who ? { email: who.email.trim().toLowerCase() } : { username: who.username.trim() };
      const user = await orm.em.fork().findOne(User, where);
      const matches = await bcrypt.compare(password, user?.passwordHash ?? (await dummyHash));
      if (!user || !matches) throw new DomainError('INVALID_CREDENTIALS', 'Invalid credentials');
      return user;
    },
  };
}
