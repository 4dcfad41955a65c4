import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';

/** The chart fields that identify a person, stored sealed. `phones` opens as the stored JSON list of { kind, number }. */
export const PATIENT_PHI_FIELDS = ['firstName', 'lastName', 'preferredName', 'birthDate', 'email', 'phones'] as const;
export type PatientPhiField = (typeof PATIENT_PHI_FIELDS)[number];

export type PatientPhi = Partial<Record<PatientPhiField, string | null>>;

/**
 * Opens the asked-for PHI fields of some of a practice's charts, for an analyst or admin, recording the read first —
 * one `patient.phi_read` event naming the fields and how many charts, never a value — in the same transaction.
 */
export async function readPatientPhi(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { practiceId: string; patientIds: readonly string[]; fields: readonly PatientPhiField[]; origin: AuditOrigin },
): Promise<Map<string, PatientPhi>> {
  requirePracticeRole(principal, input.practiceId, 'analyst');
  const rows = await tx.patient.findMany({
    where: { practiceId: input.practiceId, id: { in: [...input.patientIds] } },
    select: { id: true, firstName: true, lastName: true, preferredName: true, birthDate: true, email: true, phones: true },
  });
  const fields = [...new Set(input.fields)].sort();
  await recordAuditEvent(tx, {
    action: 'patient.phi_read',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    fields,
    details: { patients: rows.length },
  });
  const cipher = await keys.cipherFor(tx, input.practiceId);
  // The record writer sealed each field bound to `patient.<field>`.
  const open = (field: PatientPhiField, sealed: Uint8Array | null) => (sealed === null ? null : cipher.decrypt(`patient.${field}`, Buffer.from(sealed)));
  return new Map(rows.map((row) => [row.id, Object.fromEntries(fields.map((field) => [field, open(field, row[field])])) as PatientPhi]));
}
