// The probes every process can use: PostgreSQL through the ORM, Redis through a client.
import type { Redis } from 'ioredis';
import type { Orm } from '../db/orm.js';
import type { Probe } from './health.js';

export function databaseProbe(orm: Orm): Probe {
  return {
    name: 'database',
    async check() {
      const result = await orm.checkConnection();
      if (!result.ok) throw new Error(result.reason);
    },
  };
}

export function redisProbe(client: Redis): Probe {
  return { name: 'redis', check: () => client.ping() };
}
