import type { Payment, Procedure, ReferralSource } from '@sourceline/sdk';
import type pg from 'pg';
import { Prisma } from '../generated/prisma/client.ts';

/**
 * What a practice's charts record for attribution: completed procedures (production, as the source's own reports count
 * it), payments, and how each patient heard of the practice. Records name their chart by (connection, source id);
 * these give it as Sourceline's chart id, and leave out what was deleted on either side.
 */

/**
 * A chart's production, in cents: a SQL expression over the chart row the caller's query names `chart` (an alias of
 * `patients`), for readers that list charts with their production.
 */
export function chartProductionCents(chart: string): Prisma.Sql {
  const alias = Prisma.raw(chart);
  return Prisma.sql`coalesce((SELECT sum(pr.fee_cents) FROM procedures pr
             WHERE pr.connection_id = ${alias}.connection_id AND pr.patient_source_id = ${alias}.source_id
               AND pr.status = 'completed' AND pr.deleted_at IS NULL), 0)::float8`;
}

export type CompletedProcedure = Pick<Procedure, 'id' | 'patientId' | 'status' | 'performedOn' | 'code' | 'feeCents'>;
export type PracticePayment = Pick<Payment, 'id' | 'patientId' | 'amountCents' | 'paidOn'>;

/**
 * Which charts a reader covers: every chart of the practice, or only the charts named (Sourceline ids), for a run
 * that recomputes just what changed. `charts` is the reader's alias of `patients`.
 */
function chartScope(practiceId: string, only: readonly string[] | undefined, charts: string): { where: string; params: unknown[] } {
  return only === undefined
    ? { where: '', params: [practiceId] }
    : { where: ` AND ${charts}.id = ANY($2::uuid[])`, params: [practiceId, only] };
}

/** Every completed procedure of the practice's charts (or of `only` those), `patientId` being the chart's Sourceline id. */
export async function completedProceduresOfPractice(client: pg.PoolClient, practiceId: string, only?: readonly string[]): Promise<CompletedProcedure[]> {
  const scope = chartScope(practiceId, only, 'p');
  const { rows } = await client.query<CompletedProcedure>(
    `SELECT pr.id, p.id AS "patientId", pr.status, pr.performed_on::text AS "performedOn", pr.code, pr.fee_cents::float8 AS "feeCents"
       FROM procedures pr JOIN patients p ON p.connection_id = pr.connection_id AND p.source_id = pr.patient_source_id
      WHERE pr.practice_id = $1 AND pr.deleted_at IS NULL AND pr.status = 'completed' AND p.deleted_at IS NULL${scope.where}`,
    scope.params,
  );
  return rows;
}

/** Every payment (refunds negative) on the practice's charts (or `only` those), `patientId` being the chart's Sourceline id. */
export async function paymentsOfPractice(client: pg.PoolClient, practiceId: string, only?: readonly string[]): Promise<PracticePayment[]> {
  const scope = chartScope(practiceId, only, 'p');
  const { rows } = await client.query<PracticePayment>(
    `SELECT pa.id, p.id AS "patientId", pa.amount_cents::float8 AS "amountCents", pa.paid_on::text AS "paidOn"
       FROM payments pa JOIN patients p ON p.connection_id = pa.connection_id AND p.source_id = pa.patient_source_id
      WHERE pa.practice_id = $1 AND pa.deleted_at IS NULL AND p.deleted_at IS NULL${scope.where}`,
    scope.params,
  );
  return rows;
}

export type SealedReferralSource = Pick<ReferralSource, 'id' | 'patientId' | 'sourceKind' | 'rank'> & {
  /** The free text, sealed with the practice's key: it can name a person. */
  sealedSourceName: Buffer;
};

/** Every referral source ("how did you hear about us") on the practice's charts (or `only` those), its text still sealed. */
export async function referralSourcesOfPractice(client: pg.PoolClient, practiceId: string, only?: readonly string[]): Promise<SealedReferralSource[]> {
  const scope = chartScope(practiceId, only, 'p');
  const { rows } = await client.query<SealedReferralSource>(
    `SELECT r.id, p.id AS "patientId", r.source_name AS "sealedSourceName", r.source_kind AS "sourceKind", r.rank
       FROM referral_sources r JOIN patients p ON p.connection_id = r.connection_id AND p.source_id = r.patient_source_id
      WHERE r.practice_id = $1 AND r.deleted_at IS NULL AND p.deleted_at IS NULL${scope.where}`,
    scope.params,
  );
  return rows;
}
