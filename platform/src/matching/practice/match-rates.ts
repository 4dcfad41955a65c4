import type { Tx } from '../../db/tenant-transaction.ts';

/**
 * Per practice: the share of new leads (first contacts of an episode) in the range that matching linked to a patient —
 * directly, or through a later contact of the same episode. Null for a practice without leads in the range.
 */
export async function matchRates(tx: Tx, practiceIds: readonly string[], range: { from: string; to: string }): Promise<Map<string, number | null>> {
  const rows = await tx.$queryRaw<{ practiceId: string; episodes: number; linked: number }[]>`
    WITH firsts AS (
      SELECT l.practice_id, coalesce(l.episode_id, l.id) AS episode
        FROM leads l JOIN practices p ON p.id = l.practice_id
       WHERE l.practice_id = ANY(${[...practiceIds]}::uuid[]) AND l.deleted_at IS NULL AND l.contact_type = 'first-time'
         AND (l.occurred_at AT TIME ZONE p.time_zone)::date BETWEEN ${range.from}::date AND ${range.to}::date
    ), linked AS (
      SELECT DISTINCT coalesce(e.episode_id, e.id) AS episode
        FROM lead_matches m JOIN leads e ON e.id = m.lead_id
       WHERE m.practice_id = ANY(${[...practiceIds]}::uuid[]) AND m.decision = 'link'
    )
    SELECT f.practice_id AS "practiceId", count(*)::int AS episodes, count(linked.episode)::int AS linked
      FROM firsts f LEFT JOIN linked ON linked.episode = f.episode
     GROUP BY f.practice_id`;
  const byPractice = new Map(rows.map((r) => [r.practiceId, r.episodes ? r.linked / r.episodes : null]));
  return new Map(practiceIds.map((id) => [id, byPractice.get(id) ?? null]));
}
