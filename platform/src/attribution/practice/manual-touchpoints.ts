import { IsoDate } from '@sourceline/sdk';
import { recordAuditEvent, type AuditOrigin } from '../../audit/record-audit-event.ts';
import type { Principal } from '../../auth/principal.ts';
import type { ChannelId } from '../../channels/index.ts';
import type { PracticeKeyStore } from '../../crypto/practice-keys.ts';
import type { Tx } from '../../db/tenant-transaction.ts';
import { UserFacingError } from '../../errors.ts';
import { requirePracticeRole } from '../../tenancy/tenants.ts';
import { isUuid } from '../../ids.ts';

export interface ManualTouchpointItem {
  id: string;
  practiceId: string;
  patientId: string;
  occurredOn: string;
  channel: ChannelId;
  campaign: string | null;
  /** Whether a note was given (its text is read apart, audited). */
  hasNote: boolean;
  createdAt: Date;
}

const MAX_NOTE = 500;

/** A patient's hand-entered touches, oldest first. */
export async function listManualTouchpoints(tx: Tx, patientIds: readonly string[]): Promise<ManualTouchpointItem[]> {
  const rows = await tx.manualTouchpoint.findMany({ where: { patientId: { in: [...patientIds] } }, orderBy: [{ occurredOn: 'asc' }, { createdAt: 'asc' }] });
  return rows.map((r) => ({
    id: r.id, practiceId: r.practiceId, patientId: r.patientId, occurredOn: r.occurredOn.toISOString().slice(0, 10), channel: r.channel as ChannelId,
    campaign: r.campaign, hasNote: r.noteSealed !== null, createdAt: r.createdAt,
  }));
}

/**
 * Analysts and admins record a touch the sources missed ("met at the health fair"). It counts like any other touch
 * before the first visit, from the next attribution run (which the caller queues). Audited; the note is sealed.
 */
export async function addManualTouchpoint(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { patientId: string; occurredOn: string; channel: ChannelId; campaign?: string | null; note?: string | null; origin: AuditOrigin },
): Promise<ManualTouchpointItem> {
  const patient = isUuid(input.patientId) ? await tx.patient.findFirst({ where: { id: input.patientId, deletedAt: null }, select: { practiceId: true } }) : null;
  if (!patient) throw new UserFacingError('That patient does not exist, or is not yours to see.', 'NOT_FOUND', { field: 'patientId' });
  requirePracticeRole(principal, patient.practiceId, 'analyst');
  if (!IsoDate.safeParse(input.occurredOn).success) throw new UserFacingError('The date must be written YYYY-MM-DD.', 'BAD_USER_INPUT', { field: 'occurredOn' });
  if (input.occurredOn > new Date().toISOString().slice(0, 10)) throw new UserFacingError('A touch cannot be in the future.', 'BAD_USER_INPUT', { field: 'occurredOn' });
  const campaign = input.campaign?.trim() || null;
  if (campaign && campaign.length > 200) throw new UserFacingError('Keep the campaign under 200 characters.', 'BAD_USER_INPUT', { field: 'campaign' });
  const note = input.note?.trim() || null;
  if (note && note.length > MAX_NOTE) throw new UserFacingError(`Keep the note under ${MAX_NOTE} characters.`, 'BAD_USER_INPUT', { field: 'note' });
  const noteSealed = note ? new Uint8Array((await keys.cipherFor(tx, patient.practiceId)).encrypt('manual_touchpoint.note', note)) : null;
  const row = await tx.manualTouchpoint.create({
    data: {
      practiceId: patient.practiceId, patientId: input.patientId, occurredOn: new Date(`${input.occurredOn}T00:00:00Z`), channel: input.channel,
      campaign, noteSealed, createdBy: principal.userId,
    },
  });
  await recordAuditEvent(tx, {
    action: 'attribution.touchpoint_added',
    practiceId: patient.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'patient', id: input.patientId },
    details: { touchpointId: row.id, channel: input.channel, occurredOn: input.occurredOn, noteGiven: note !== null },
  });
  return (await listManualTouchpoints(tx, [input.patientId])).find((t) => t.id === row.id)!;
}

export async function removeManualTouchpoint(tx: Tx, principal: Principal, input: { id: string; origin: AuditOrigin }): Promise<{ practiceId: string }> {
  const row = isUuid(input.id) ? await tx.manualTouchpoint.findFirst({ where: { id: input.id } }) : null;
  if (!row) throw new UserFacingError('That touchpoint does not exist, or is not yours to see.', 'NOT_FOUND', { field: 'id' });
  requirePracticeRole(principal, row.practiceId, 'analyst');
  await tx.manualTouchpoint.delete({ where: { id: row.id } });
  await recordAuditEvent(tx, {
    action: 'attribution.touchpoint_removed',
    practiceId: row.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'patient', id: row.patientId },
    details: { touchpointId: row.id, channel: row.channel },
  });
  return { practiceId: row.practiceId };
}
