import { FatalError } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import { isTransientDatabaseError } from './transient-errors.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('database errors worth a retry', () => {
  it.each([
    ['a server restarting', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up', withCode('the database system is starting up', '57P03')],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a deadlock', withCode('deadlock detected', '40P01')],
    ['Prisma losing the server', withCode("Can't reach database server", 'P1001')],
    ['a lost connection behind a wrapper', new Error('write failed', { cause: new Error('Connection terminated unexpectedly') })],
  ])('retries %s', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it.each([
    ['a constraint violated', withCode('duplicate key value violates unique constraint', '23505')],
    ['a row-level security refusal', withCode('new row violates row-level security policy', '42501')],
    ['a connector’s fatal error', new FatalError('the office refused the key')],
    ['something that is not an error', 'Connection terminated'],
  ])('does not retry %s', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });
});
