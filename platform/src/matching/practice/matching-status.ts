import type { Tx } from '../../db/tenant-transaction.ts';

/** How far a practice's matching has got: its model, and what waits to be matched. */
export interface MatchingStatus {
  fittedAt: Date | null;
  charts: number;
  leads: number;
  links: number;
  review: number;
  pendingLeads: number;
  pendingCharts: number;
}

export async function matchingStatus(tx: Tx, practiceId: string): Promise<MatchingStatus> {
  const [row] = await tx.$queryRaw<[Omit<MatchingStatus, 'fittedAt' | 'charts' | 'leads'> & { fittedAt: Date | null; charts: number | null; leads: number | null }]>`
    SELECT mm.fitted_at AS "fittedAt", mm.charts, mm.leads,
           coalesce(counted.links, 0)::int AS links, coalesce(counted.review, 0)::int AS review,
           (SELECT count(*)::int FROM leads WHERE practice_id = ${practiceId}::uuid AND match_pending) AS "pendingLeads",
           (SELECT count(*)::int FROM patients WHERE practice_id = ${practiceId}::uuid AND match_pending) AS "pendingCharts"
      FROM (SELECT 1) one LEFT JOIN match_models mm ON mm.practice_id = ${practiceId}::uuid
      LEFT JOIN lead_match_counts counted ON counted.practice_id = ${practiceId}::uuid`;
  return { ...row, charts: row.charts ?? 0, leads: row.leads ?? 0 };
}
