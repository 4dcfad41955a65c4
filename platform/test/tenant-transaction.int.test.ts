import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlLiteral } from '../src/db/sql-literal.ts';
import { withTenantClient } from '../src/db/tenant-transaction.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

// A transaction's scope goes to PostgreSQL as literals in the string that begins it (one round trip, not two).
let platform: TestPlatform;
beforeAll(async () => (platform = await startTestPlatform()));
afterAll(() => platform.close());

const settings = `SELECT current_setting('app.client_ip') AS ip, current_setting('app.login_email') AS email,
                          current_setting('app.token_hash') AS token, current_setting('app.practice_ids') AS practices`;

describe('tenant transactions', () => {
  it('applies every scope value exactly, quotes and backslashes included, and only inside the transaction', async () => {
    const awkward = `o'brien\\"; SELECT 1; --\\\\x'`;
    const { pid, ...seen } = await withTenantClient(platform.db.app, { clientIp: awkward, loginEmail: `${awkward}@example.test`, tokenHash: Buffer.from('a1b2', 'hex') }, async (client) =>
      (await client.query(`${settings}, pg_backend_pid() AS pid`)).rows[0],
    );
    expect(seen).toEqual({ ip: awkward, email: `${awkward}@example.test`, token: 'a1b2', practices: '' });
    // The same pooled connection (the pool hands out the one released last), after the commit.
    const client = await platform.db.app.connect();
    try {
      const after = (await client.query(`SELECT pg_backend_pid() AS pid, current_setting('app.client_ip', true) AS ip`)).rows[0];
      expect(after.pid).toBe(pid);
      expect(after.ip ?? '').toBe('');
    } finally {
      client.release();
    }
  });

  it('refuses a scope value holding NUL by its setting, before reaching the database', async () => {
    await expect(withTenantClient(platform.db.app, { clientIp: 'a\u0000b' }, async () => 1)).rejects.toThrow('app.client_ip contains a NUL character');
  });

  it('rolls back everything when the work fails', async () => {
    await platform.db.owner.query('CREATE TABLE scratch_rollback (n int); GRANT ALL ON scratch_rollback TO sourceline_app');
    await expect(withTenantClient(platform.db.app, {}, async (client) => {
      await client.query('INSERT INTO scratch_rollback VALUES (1)');
      throw new Error('fails after writing');
    })).rejects.toThrow('fails after writing');
    expect((await platform.db.owner.query('SELECT count(*)::int AS n FROM scratch_rollback')).rows[0].n).toBe(0);
  });

  it('sends opening statements with BEGIN, after the scope is set, and hands their results to the work', async () => {
    const opened = await withTenantClient(platform.db.app, { clientIp: '10.0.0.7' }, async (_client, results) => results.map((r) => r.rows), [
      `SELECT current_setting('app.client_ip') AS ip`,
      `SELECT 2 AS n UNION ALL SELECT 3`,
    ]);
    expect(opened).toEqual([[{ ip: '10.0.0.7' }], [{ n: 2 }, { n: 3 }]]);
  });

  it('does not commit again work that sent its last write with COMMIT', async () => {
    await platform.db.owner.query('CREATE TABLE scratch_self_commit (n int); GRANT ALL ON scratch_self_commit TO sourceline_app');
    const notices: string[] = [];
    const noted = (notice: { message?: string }) => void notices.push(notice.message ?? '');
    let used: pg.PoolClient | undefined;
    const status = await withTenantClient(platform.db.app, {}, async (client) => {
      (used = client).on('notice', noted);
      await client.query(`INSERT INTO scratch_self_commit VALUES (${sqlLiteral(7)}); COMMIT`);
      return client.getTransactionStatus();
    });
    used!.off('notice', noted);
    expect(status).toBe('I');
    expect(notices).toEqual([]); // A second COMMIT would warn "there is no transaction in progress".
    expect((await platform.db.owner.query('SELECT n FROM scratch_self_commit')).rows).toEqual([{ n: 7 }]);
  });

  it('writes literals back exactly as given: text, bytes, integers, NULL, whatever standard_conforming_strings says', async () => {
    const texts = [`o'brien`, 'back\\slash \\x41', 'Zoë Ångström 🦷', '', `$$ dollar $$`, 'E\'\\', '{"said":"it\'s \\"fine\\""}'];
    const bytes = Buffer.from([0, 1, 92, 39, 255]);
    const client = await platform.db.owner.connect();
    try {
      for (const conforming of ['on', 'off']) {
        await client.query(`SET standard_conforming_strings = ${conforming}`);
        const row = (await client.query(
          `SELECT ARRAY[${texts.map((t) => sqlLiteral(t)).join(', ')}]::text[] AS texts, ${sqlLiteral(bytes)} AS bytes, ${sqlLiteral(-42)} AS n, ${sqlLiteral(null)}::text AS nothing`,
        )).rows[0];
        expect(row).toEqual({ texts, bytes, n: -42, nothing: null });
      }
    } finally {
      await client.query('RESET standard_conforming_strings');
      client.release();
    }
    expect(() => sqlLiteral('a\u0000b', 'the content type')).toThrow('the content type contains a NUL character');
    expect(() => sqlLiteral(1.5)).toThrow('not an integer');
  });
});
