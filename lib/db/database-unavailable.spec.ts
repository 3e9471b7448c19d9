import { ConnectionException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { isDatabaseUnavailable } from './database-unavailable.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection refused', withCode('ECONNREFUSED')],
    ['connection reset', withCode('ECONNRESET')],
    ['too many clients', withCode('53300', 'sorry, too many clients already')],
    ['admin shutdown', withCode('57P01', 'terminating connection due to administrator command')],
    ['crash shutdown', withCode('57P02')],
    ['cannot connect now', withCode('57P03', 'the database system is starting up')],
    ['connect timeout (pg)', new Error('timeout expired')],
    ['connect timeout (newer pg)', new Error('Connection terminated due to connection timeout')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['query read timeout', new Error('select 1 - Query read timeout')],
    ['pool exhausted (knex)', Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' })],
    ['MikroORM connection error', new ConnectionException(new Error('x'))],
    ['wrapped by MikroORM', new DriverException(withCode('ECONNREFUSED'))],
    ['as a cause', new Error('outer', { cause: withCode('57P03') })],
  ])('recognises %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a constraint violation', new UniqueConstraintViolationException(withCode('23505', 'duplicate key value'))],
    ['a syntax error', withCode('42601', 'syntax error at or near "selec"')],
    ['a programming error', new TypeError('x is not a function')],
    ['nothing', undefined],
  ])('does not take %s for an outage', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
