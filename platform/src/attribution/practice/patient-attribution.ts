import type { Tx } from '../../db/tenant-transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { AttributionModelId } from '../attribution-settings.ts';
import type { PrimaryAndContributing } from '../primary-contributing.ts';
import type { RollupChannel } from '../rollups.ts';
import type { Touchpoint } from '../touchpoints.ts';

/** A touchpoint as stored: its day as a date, and every model's weight for it. */
export type StoredTouchpoint = Omit<Touchpoint, 'day' | 'at'> & {
  day: string;
  credits: Partial<Record<AttributionModelId, number>>;
};

/** A new patient's attribution as the last run stored it. */
export interface StoredPatientAttribution {
  patientId: string;
  firstVisitOn: string;
  locationId: string | null;
  primaryChannel: RollupChannel;
  touchpoints: StoredTouchpoint[];
  primaryContributing: PrimaryAndContributing;
  productionLevel1Cents: number;
  productionLevel2Cents: number;
  productionLevel3Cents: number;
  collectionsLevel1Cents: number;
  collectionsLevel2Cents: number;
}

const storedColumns = Prisma.sql`
  patient_id AS "patientId", first_visit_on::text AS "firstVisitOn", location_id AS "locationId", primary_channel AS "primaryChannel",
  touchpoints, primary_contributing AS "primaryContributing",
  production_level1_cents::float8 AS "productionLevel1Cents", production_level2_cents::float8 AS "productionLevel2Cents",
  production_level3_cents::float8 AS "productionLevel3Cents", collections_level1_cents::float8 AS "collectionsLevel1Cents",
  collections_level2_cents::float8 AS "collectionsLevel2Cents"`;

export function patientAttributions(tx: Tx, patientIds: readonly string[]): Promise<StoredPatientAttribution[]> {
  return tx.$queryRaw<StoredPatientAttribution[]>`SELECT ${storedColumns} FROM patient_attributions WHERE patient_id = ANY(${[...patientIds]}::uuid[])`;
}

/**
 * One page of the practice's new patients whose first visit falls in the range (days, both included), as the last run
 * stored them, by patient id after `afterPatientId`: a reader walks the range page by page without offsets.
 */
export function patientAttributionsByFirstVisit(
  tx: Tx,
  q: { practiceId: string; from: string; to: string; afterPatientId: string | null; limit: number },
): Promise<StoredPatientAttribution[]> {
  return tx.$queryRaw<StoredPatientAttribution[]>`
    SELECT ${storedColumns} FROM patient_attributions
     WHERE practice_id = ${q.practiceId}::uuid AND first_visit_on BETWEEN ${q.from}::date AND ${q.to}::date
       AND patient_id > ${q.afterPatientId ?? '00000000-0000-0000-0000-000000000000'}::uuid
     ORDER BY patient_id LIMIT ${q.limit}`;
}
