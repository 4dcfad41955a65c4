import type { Tx } from '../../db/tenant-transaction.ts';

/**
 * Per practice: the share of new leads (first contacts of an episode) in the range that matching linked to a patient —
 * directly, or through a later contact of the same episode. Null for a practice without leads in the range.
 */
export async function matchRates(tx: Tx, practiceIds: readonly string[], range: { from: string; to: string }): Promise<Map<string, number | null>> {
  const rows = await tx.$queryRaw<{ practiceId: string; episodes: number; linked: number }[]>`
    SELECT l.practice_id AS "practiceId", count(*)::int AS episodes,
           count(*) FILTER (WHERE EXISTS (
             SELECT 1 FROM leads e JOIN lead_matches m ON m.lead_id = e.id AND m.decision = 'link'
              WHERE e.episode_id = coalesce(l.episode_id, l.id) OR e.id = l.id))::int AS linked
      FROM leads l
      JOIN practices p ON p.id = l.practice_id
     WHERE l.practice_id = ANY(${[...practiceIds]}::uuid[]) AND l.deleted_at IS NULL AND l.contact_type = 'first-time'
       AND (l.occurred_at AT TIME ZONE p.time_zone)::date BETWEEN ${range.from}::date AND ${range.to}::date
     GROUP BY l.practice_id`;
  const byPractice = new Map(rows.map((r) => [r.practiceId, r.episodes ? r.linked / r.episodes : null]));
  return new Map(practiceIds.map((id) => [id, byPractice.get(id) ?? null]));
}
