import type { Tx } from '../../db/tenant-transaction.ts';

/**
 * How far a lead got: `lead` (linked to no chart), `scheduled` (linked to a chart with no first visit yet — front
 * desks open a chart when they book), `seen` (a linked patient had a first visit) or `treatment` (a linked patient
 * came back for follow-on treatment). A lead linked to several patients (a family) is as far as the furthest.
 */
export type LeadStage = 'lead' | 'scheduled' | 'seen' | 'treatment';

const STAGES: readonly LeadStage[] = ['lead', 'scheduled', 'seen', 'treatment'];

/** The stage of each lead asked for that this transaction may see. */
export async function leadStages(tx: Tx, leadIds: readonly string[]): Promise<{ leadId: string; stage: LeadStage }[]> {
  if (!leadIds.length) return [];
  const rows = await tx.$queryRaw<{ leadId: string; rank: number | null }[]>`
    SELECT l.id AS "leadId",
           (SELECT max(CASE WHEN pa.production_level2_cents > 0 THEN 3 WHEN p.first_visit_on IS NOT NULL THEN 2 ELSE 1 END)
              FROM lead_matches m
              JOIN patients p ON p.id = m.patient_id AND p.deleted_at IS NULL
              LEFT JOIN patient_attributions pa ON pa.patient_id = p.id
             WHERE m.lead_id = l.id AND m.decision = 'link')::int AS rank
      FROM leads l WHERE l.id = ANY(${[...leadIds]}::uuid[])`;
  return rows.map((r) => ({ leadId: r.leadId, stage: STAGES[r.rank ?? 0]! }));
}
