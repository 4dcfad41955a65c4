import pg from 'pg';
import type { AttributionScope } from './attribution-inputs.ts';

/**
 * What changed in a practice since its last attribution run, as the triggers of migration 0023 noted it: the new
 * patients and lead episodes to recompute, or that a full run is due (`whole`). `ids` are the notes read, which the
 * run that takes them into account deletes, and only them: a note whose transaction commits during the run has a
 * lower id than one read, so "up to the highest id read" would drop it unseen.
 */
export interface PendingChanges extends AttributionScope {
  ids: string[];
  whole: boolean;
}

export async function readPendingChanges(client: pg.PoolClient, practiceId: string): Promise<PendingChanges> {
  const { rows } = await client.query<{ ids: string[]; whole: boolean; patientIds: string[]; episodeIds: string[] }>(
    `SELECT coalesce(array_agg(id::text), '{}') AS ids,
            coalesce(bool_or(patient_id IS NULL AND episode_id IS NULL), false) AS whole,
            coalesce(array_agg(DISTINCT patient_id::text) FILTER (WHERE patient_id IS NOT NULL), '{}') AS "patientIds",
            coalesce(array_agg(DISTINCT episode_id::text) FILTER (WHERE episode_id IS NOT NULL), '{}') AS "episodeIds"
       FROM attribution_changes WHERE practice_id = $1`,
    [practiceId],
  );
  return rows[0]!;
}

/** Deletes the notes a run has taken into account. */
export async function clearPendingChanges(client: pg.PoolClient, practiceId: string, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await client.query('DELETE FROM attribution_changes WHERE practice_id = $1 AND id = ANY($2::bigint[])', [practiceId, ids]);
}

/** Notes that the practice's next run must be a full one (the nightly refit). */
export async function noteFullRunDue(client: pg.PoolClient, practiceId: string): Promise<void> {
  await client.query('INSERT INTO attribution_changes (practice_id) VALUES ($1)', [practiceId]);
}

/**
 * For a transaction that writes a practice's records in bulk (an initial sync): the statement that notes a full run
 * and tells the triggers of migration 0025 that nothing written later in the transaction needs a note of its own
 * (per-row notes cost a probe per row, and stand for a full run's worth of work anyway). Transaction-local, like the
 * rows it covers. Text rather than a call, so that the writer can send it with the statements that open each of its
 * transactions, in one round trip.
 */
export function bulkLoadNoteStatement(practiceId: string): string {
  return `WITH noted AS (INSERT INTO attribution_changes (practice_id) VALUES (${pg.escapeLiteral(practiceId)}::uuid) RETURNING 1)
          SELECT set_config('app.attribution_notes', 'full-run', true) FROM noted`;
}
