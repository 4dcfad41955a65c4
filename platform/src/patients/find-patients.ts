import type { PatientStatus } from '@sourceline/sdk';
import type { Tx } from '../db/tenant-transaction.ts';
import { isUuid } from '../ids.ts';
import { chartProductionCents } from '../records/practice-records.ts';

/** A chart as the API shows it without PHI: status, dates and production. Names and contact details are read apart, audited. */
export interface PatientListItem {
  id: string;
  practiceId: string;
  connectionId: string;
  sourceId: string;
  status: PatientStatus;
  firstVisitOn: string | null;
  createdOn: string | null;
  /** Completed procedures' production, in cents. */
  productionCents: number;
}

/** Charts by id, if this transaction may see them and they are not deleted; in the order asked. */
export async function findPatients(tx: Tx, ids: readonly string[]): Promise<PatientListItem[]> {
  const valid = ids.filter((id) => isUuid(id));
  if (!valid.length) return [];
  const rows = await tx.$queryRaw<PatientListItem[]>`
    SELECT p.id, p.practice_id AS "practiceId", p.connection_id AS "connectionId", p.source_id AS "sourceId", p.status,
           p.first_visit_on::text AS "firstVisitOn", p.created_on::text AS "createdOn", ${chartProductionCents('p')} AS "productionCents"
      FROM patients p WHERE p.id = ANY(${valid}::uuid[]) AND p.deleted_at IS NULL`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  return valid.flatMap((id) => byId.get(id) ?? []);
}
