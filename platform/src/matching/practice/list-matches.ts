import type { Tx } from '../../db/tenant-transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Method } from '../decide.ts';
import type { Explanation } from '../explain.ts';

/** A stored link or review pair, with the verdict a person gave on it (if any). Never PHI: ids, scores, outcomes. */
export interface LeadMatchItem {
  leadId: string;
  patientId: string;
  practiceId: string;
  decision: 'link' | 'review';
  confidence: number;
  method: Method;
  manual: boolean;
  explanation: Explanation | null;
  matchedAt: Date;
  verdict: 'link' | 'not_a_match' | null;
}

const columns = Prisma.sql`
  m.lead_id AS "leadId", m.patient_id AS "patientId", m.practice_id AS "practiceId", m.decision, m.confidence, m.method,
  m.manual, m.explanation, m.matched_at AS "matchedAt", d.verdict`;

const withVerdict = Prisma.sql`LEFT JOIN match_decisions d ON d.lead_id = m.lead_id AND d.patient_id = m.patient_id`;

/** The links and review pairs of these leads, strongest first. */
export function matchesOfLeads(tx: Tx, leadIds: readonly string[]): Promise<LeadMatchItem[]> {
  return tx.$queryRaw<LeadMatchItem[]>`
    SELECT ${columns} FROM lead_matches m ${withVerdict}
     WHERE m.lead_id = ANY(${[...leadIds]}::uuid[]) ORDER BY m.lead_id, m.decision, m.confidence DESC, m.patient_id`;
}

/** The leads linked (or queued for review) to these charts, oldest lead first. */
export function matchesOfPatients(tx: Tx, patientIds: readonly string[]): Promise<LeadMatchItem[]> {
  return tx.$queryRaw<LeadMatchItem[]>`
    SELECT ${columns} FROM lead_matches m ${withVerdict} JOIN leads l ON l.id = m.lead_id
     WHERE m.patient_id = ANY(${[...patientIds]}::uuid[]) ORDER BY m.patient_id, l.occurred_at, m.lead_id`;
}

export interface ReviewQueueItem extends LeadMatchItem {
  /** The chart's completed production: what a wrong or missing link would misattribute. */
  revenueAtStakeCents: number;
}

/**
 * The practice's review queue, most revenue at stake first, then the pairs the model is least sure of (the order of
 * `rankReviewQueue`, which the CLI uses): a person's minutes go where they move the most money.
 */
export async function listReviewQueue(tx: Tx, practiceId: string, page: { limit: number; offset: number }): Promise<{ items: ReviewQueueItem[]; total: number }> {
  const items = await tx.$queryRaw<ReviewQueueItem[]>`
    SELECT ${columns}, coalesce(stake.cents, 0)::float8 AS "revenueAtStakeCents"
      FROM lead_matches m ${withVerdict}
      JOIN patients p ON p.id = m.patient_id
      LEFT JOIN LATERAL (
        SELECT sum(pr.fee_cents) AS cents FROM procedures pr
         WHERE pr.connection_id = p.connection_id AND pr.patient_source_id = p.source_id AND pr.status = 'completed' AND pr.deleted_at IS NULL
      ) stake ON true
     WHERE m.practice_id = ${practiceId}::uuid AND m.decision = 'review'
     ORDER BY "revenueAtStakeCents" DESC, abs(m.confidence - 0.5), m.lead_id, m.patient_id
     LIMIT ${page.limit} OFFSET ${page.offset}`;
  const [{ total }] = await tx.$queryRaw<[{ total: number }]>`
    SELECT count(*)::int AS total FROM lead_matches WHERE practice_id = ${practiceId}::uuid AND decision = 'review'`;
  return { items, total };
}
