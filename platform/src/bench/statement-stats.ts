import type pg from 'pg';

/**
 * `BENCH_PG_STATEMENTS=1`: the bench's cluster preloads `pg_stat_statements`, and the bench prints the statements
 * that took PostgreSQL the most time while it measured, planning and running apart — how the episode regrouping's
 * 26 ms plan was found, and a matching pass that spent longer planning its statements than running them.
 */
export const STATEMENT_STATS_SETTINGS = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.track_planning': 'on',
};

export function statementStatsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.BENCH_PG_STATEMENTS === '1';
}

/** Starts counting afresh (the extension is created on first use). */
export async function resetStatementStats(owner: pg.Pool): Promise<void> {
  await owner.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await owner.query('SELECT pg_stat_statements_reset()');
}

/** PostgreSQL's time since the reset over every statement: planning and running. */
export async function statementTotals(owner: pg.Pool): Promise<{ planMs: number; execMs: number }> {
  const { rows } = await owner.query<{ plan: number | null; exec: number | null }>(
    'SELECT sum(total_plan_time) AS plan, sum(total_exec_time) AS exec FROM pg_stat_statements',
  );
  return { planMs: rows[0]?.plan ?? 0, execMs: rows[0]?.exec ?? 0 };
}

/** The `limit` statements PostgreSQL spent the most time on since the reset, a line each: total (plan, run), calls, mean, rows, text. */
export async function topStatements(owner: pg.Pool, limit: number): Promise<string[]> {
  const { rows } = await owner.query<{ plan: number; exec: number; calls: string; rows: string; query: string }>(
    `SELECT total_plan_time AS plan, total_exec_time AS exec, calls, rows, regexp_replace(query, '\\s+', ' ', 'g') AS query
       FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`,
    [limit],
  );
  const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());
  return rows.map((r) => {
    const total = r.plan + r.exec;
    const each = total / Number(r.calls);
    return `${ms(total).padStart(7)} ms (plan ${ms(r.plan)}, run ${ms(r.exec)})  ${r.calls.padStart(6)} calls  ${each.toFixed(2).padStart(8)} ms each  ${r.rows.padStart(7)} rows  ${r.query.slice(0, 140)}`;
  });
}
