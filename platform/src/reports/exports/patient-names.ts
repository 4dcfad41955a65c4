import type { PracticeKeyStore } from '../../crypto/practice-keys.ts';
import type { Tx } from '../../db/tenant-transaction.ts';
import { findPatients } from '../../patients/find-patients.ts';
import { readPatientPhi } from '../../patients/read-patient-phi.ts';
import type { PracticeExportRequest } from './csv-report.ts';

export interface PatientName {
  chart: string;
  firstName: string;
  lastName: string;
}

/** The PHI an export that names patients carries, as its audit event lists it. */
export const PATIENT_NAME_FIELDS = ['patient.firstName', 'patient.lastName'];

/** Charts' numbers and names, for analysts and admins: the names are opened through `readPatientPhi`, which audits the read. */
export async function patientNames(tx: Tx, keys: PracticeKeyStore, request: PracticeExportRequest, patientIds: readonly string[]): Promise<Map<string, PatientName>> {
  const ids = [...new Set(patientIds)];
  if (!ids.length) return new Map();
  const names = await readPatientPhi(tx, keys, request.principal, { practiceId: request.practiceId, patientIds: ids, fields: ['firstName', 'lastName'], origin: request.origin });
  const charts = new Map((await findPatients(tx, ids)).map((p) => [p.id, p.sourceId]));
  return new Map(ids.map((id) => [id, { chart: charts.get(id) ?? '', firstName: names.get(id)?.firstName ?? '', lastName: names.get(id)?.lastName ?? '' }]));
}

/** "Ana Ruiz" or, without a name on the chart, "Chart 1042". */
export const fullName = (p: PatientName | undefined) => (p ? [p.firstName, p.lastName].filter(Boolean).join(' ') || `Chart ${p.chart}` : '');
