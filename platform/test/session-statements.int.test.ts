import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, inline, prepareOnce, sessionStatement } from '../src/db/session-statements.ts';
import { sqlLiteral } from '../src/db/sql-literal.ts';
import { withTenantClient } from '../src/db/tenant-transaction.ts';
import { sqlArrayLiteral } from '../src/records/array-literal.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

// Statements an incremental matching pass sends several to a round trip, prepared once per connection.
let platform: TestPlatform;
beforeAll(async () => (platform = await startTestPlatform()));
afterAll(() => platform.close());

const echo = sessionStatement('test_echo', ['text[]', 'int'], 'SELECT u.word, ($2 + u.n)::int AS n FROM unnest($1) WITH ORDINALITY AS u(word, n) ORDER BY u.n');
const args = [sqlArrayLiteral([`o'brien`, 'back\\slash', '"quoted"', 'NULL']), sqlLiteral(10)];

describe('session statements', () => {
  it('answer the same executed on a prepared connection as written inline, in one multi-statement round trip', async () => {
    const [inlined, executed] = await withTenantClient(
      platform.db.app,
      {},
      async (_client, opened) => opened.map((result) => result.rows),
      [inline(echo, args), execute(echo, args)],
      [echo],
    );
    expect(inlined).toEqual([
      { word: `o'brien`, n: 11 },
      { word: 'back\\slash', n: 12 },
      { word: '"quoted"', n: 13 },
      { word: 'NULL', n: 14 },
    ]);
    expect(executed).toEqual(inlined);
  });

  it('are prepared once per connection, before its transaction, and outlive a transaction that failed', async () => {
    const statement = sessionStatement('test_once', ['int'], 'SELECT $1 + 1 AS n');
    const client = await platform.db.app.connect();
    try {
      await prepareOnce(client, [statement]);
      await client.query('BEGIN');
      await expect(client.query(`${execute(statement, ['1'])}; SELECT 1 / 0`)).rejects.toThrow('division by zero');
      await client.query('ROLLBACK');
      expect((await client.query(execute(statement, ['41']))).rows).toEqual([{ n: 42 }]);
      // Remembered per connection: asked again, it is not prepared again (so, dropped behind its back, it stays gone).
      await client.query('DEALLOCATE test_once');
      await prepareOnce(client, [statement]);
      await expect(client.query(execute(statement, ['1']))).rejects.toThrow('prepared statement "test_once" does not exist');
    } finally {
      client.release();
    }
  });

  it('take a statement the connection already has under the name as prepared', async () => {
    const statement = sessionStatement('test_had', ['int'], 'SELECT $1 * 2 AS n');
    const client = await platform.db.app.connect();
    try {
      await client.query('PREPARE test_had(int) AS SELECT $1 * 2 AS n');
      await prepareOnce(client, [statement]);
      expect((await client.query(execute(statement, ['21']))).rows).toEqual([{ n: 42 }]);
    } finally {
      client.release();
    }
  });

  it('refuse the wrong number of arguments and a name that is not a plain identifier', () => {
    expect(() => execute(echo, [args[0]!])).toThrow('test_echo takes 2 argument(s), got 1');
    expect(() => inline(echo, [...args, '1'])).toThrow('test_echo takes 2 argument(s), got 3');
    expect(() => sessionStatement('drop table x', [], 'SELECT 1')).toThrow('lower-case SQL identifier');
  });
});
