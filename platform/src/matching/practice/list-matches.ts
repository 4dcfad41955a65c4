import type { Tx } from '../../db/tenant-transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Method } from '../decide.ts';
import type { Explanation } from '../explain.ts';
import { chartProductionCents } from '../../records/practice-records.ts';

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

/** The order of the queue: most revenue at stake first, then the pairs the model is least sure of. */
function queueRows<T>(tx: Tx, practiceId: string, select: Prisma.Sql, where: Prisma.Sql, page: Prisma.Sql): Promise<T[]> {
  return tx.$queryRaw<T[]>`
    SELECT ${select}, ${chartProductionCents('p')} AS "revenueAtStakeCents"
      FROM lead_matches m ${withVerdict}
      JOIN patients p ON p.id = m.patient_id
     WHERE m.practice_id = ${practiceId}::uuid AND m.decision = 'review' ${where}
     ORDER BY "revenueAtStakeCents" DESC, abs(m.confidence - 0.5), m.lead_id, m.patient_id ${page}`;
}

/**
 * The practice's review queue, most revenue at stake first, then the pairs the model is least sure of (the order of
 * `rankReviewQueue`, which the CLI uses): a person's minutes go where they move the most money.
 */
export async function listReviewQueue(tx: Tx, practiceId: string, page: { limit: number; offset: number }): Promise<{ items: ReviewQueueItem[]; total: number }> {
  const items = await queueRows<ReviewQueueItem>(tx, practiceId, columns, Prisma.empty, Prisma.sql`LIMIT ${page.limit} OFFSET ${page.offset}`);
  const [{ total }] = await tx.$queryRaw<[{ total: number }]>`
    SELECT count(*)::int AS total FROM lead_matches WHERE practice_id = ${practiceId}::uuid AND decision = 'review'`;
  return { items, total };
}

export interface ReviewPairKey {
  leadId: string;
  patientId: string;
}

/** The whole queue as pair keys, in its order: what an export pages through, so pairs decided meanwhile shift nothing. */
export function reviewQueueKeys(tx: Tx, practiceId: string): Promise<ReviewPairKey[]> {
  return queueRows<ReviewPairKey>(tx, practiceId, Prisma.sql`m.lead_id AS "leadId", m.patient_id AS "patientId"`, Prisma.empty, Prisma.empty);
}

/** These pairs as they stand now, in the order asked; a pair decided since it was listed is left out. */
export async function reviewPairs(tx: Tx, practiceId: string, keys: readonly ReviewPairKey[]): Promise<ReviewQueueItem[]> {
  if (!keys.length) return [];
  const only = Prisma.sql`AND (m.lead_id, m.patient_id) IN (SELECT * FROM unnest(${keys.map((k) => k.leadId)}::uuid[], ${keys.map((k) => k.patientId)}::uuid[]))`;
  const rows = await queueRows<ReviewQueueItem>(tx, practiceId, columns, only, Prisma.empty);
  const byKey = new Map(rows.map((row) => [`${row.leadId}:${row.patientId}`, row]));
  return keys.flatMap((k) => byKey.get(`${k.leadId}:${k.patientId}`) ?? []);
}
