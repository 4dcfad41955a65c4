import type pg from 'pg';

/**
 * `BENCH_PG_STATEMENTS=1`: the bench's cluster preloads `pg_stat_statements`, and the bench prints the statements
 * that took PostgreSQL the most time while it measured — how the episode regrouping's 26 ms plan was found.
 */
export const STATEMENT_STATS_SETTINGS = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' };

export function statementStatsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.BENCH_PG_STATEMENTS === '1';
}

/** Starts counting afresh (the extension is created on first use). */
export async function resetStatementStats(owner: pg.Pool): Promise<void> {
  await owner.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await owner.query('SELECT pg_stat_statements_reset()');
}

/** The `limit` statements with the most execution time since the reset, a line each: total, calls, mean, rows, text. */
export async function topStatements(owner: pg.Pool, limit: number): Promise<string[]> {
  const { rows } = await owner.query<{ total: number; calls: string; mean: number; rows: string; query: string }>(
    `SELECT total_exec_time AS total, calls, total_exec_time / calls AS mean, rows, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => `${Math.round(r.total).toString().padStart(7)} ms  ${r.calls.padStart(6)} calls  ${r.mean.toFixed(2).padStart(8)} ms each  ${r.rows.padStart(7)} rows  ${r.query.slice(0, 140)}`);
}
