import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';

/** The lead fields that identify a person, stored sealed. */
export const LEAD_PHI_FIELDS = ['name', 'phone', 'email', 'message'] as const;
export type LeadPhiField = (typeof LEAD_PHI_FIELDS)[number];

export type LeadPhi = Partial<Record<LeadPhiField, string | null>>;

/**
 * Opens the asked-for PHI fields of some of a practice's leads, for an analyst or admin, and records the read first —
 * one `lead.phi_read` event naming the fields and how many leads, never a value — in the same transaction, so PHI is
 * never shown without its audit entry.
 */
export async function readLeadPhi(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { practiceId: string; leadIds: readonly string[]; fields: readonly LeadPhiField[]; origin: AuditOrigin },
): Promise<Map<string, LeadPhi>> {
  requirePracticeRole(principal, input.practiceId, 'analyst');
  const rows = await tx.lead.findMany({
    where: { practiceId: input.practiceId, id: { in: [...input.leadIds] } },
    select: { id: true, name: true, phone: true, email: true, message: true },
  });
  const fields = [...new Set(input.fields)].sort();
  await recordAuditEvent(tx, {
    action: 'lead.phi_read',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    fields,
    details: { leads: rows.length },
  });
  const cipher = await keys.cipherFor(tx, input.practiceId);
  // The record writer sealed each field bound to `lead.<field>`.
  const open = (field: LeadPhiField, sealed: Uint8Array | null) => (sealed === null ? null : cipher.decrypt(`lead.${field}`, Buffer.from(sealed)));
  return new Map(rows.map((row) => [row.id, Object.fromEntries(fields.map((field) => [field, open(field, row[field])])) as LeadPhi]));
}
