import { EntitySchema, type Opt } from '@mikro-orm/core';

export class User {
  id!: number;
  /** Always stored lower-cased, so uniqueness holds however a client spells it. */
  email!: string;
  username!: string;
  passwordHash!: string;
  createdAt: Opt<Date> = new Date();

  constructor(init?: { email: string; username: string; passwordHash: string }) {
    if (init) {
      this.email = init.email.trim().toLowerCase();
      this.username = init.username;
      this.passwordHash = init.passwordHash;
    }
  }
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  // Lower-casing happens in code; the database refuses anything that slipped past it.
  checks: [{ name: 'users_email_lowercase_check', expression: 'email = lower(email)' }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    email: { type: 'string', length: 254, unique: 'users_email_unique' },
    username: { type: 'string', length: 30, unique: 'users_username_unique' },
    passwordHash: { type: 'string', length: 100, hidden: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});
