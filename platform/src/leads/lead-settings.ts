import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';

/** Contacts of one person closer together than this form one episode, unless the practice chose otherwise. */
export const DEFAULT_EPISODE_WINDOW_DAYS = 30;

export interface LeadSettings {
  episodeWindowDays: number;
}

export async function loadLeadSettings(tx: Tx, practiceId: string): Promise<LeadSettings> {
  const row = await tx.leadSettings.findUnique({ where: { practiceId } });
  return { episodeWindowDays: row?.episodeWindowDays ?? DEFAULT_EPISODE_WINDOW_DAYS };
}

/** An admin changes the episode window; says whether it moved, since then the practice's episodes must be regrouped. */
export async function updateLeadSettings(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; episodeWindowDays: number; origin: AuditOrigin },
): Promise<{ settings: LeadSettings; windowChanged: boolean }> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  if (!Number.isInteger(input.episodeWindowDays) || input.episodeWindowDays < 1 || input.episodeWindowDays > 365) {
    throw new UserFacingError('The episode window must be 1 to 365 days.', 'BAD_USER_INPUT', { field: 'episodeWindowDays' });
  }
  const before = await loadLeadSettings(tx, input.practiceId);
  await tx.leadSettings.upsert({
    where: { practiceId: input.practiceId },
    create: { practiceId: input.practiceId, episodeWindowDays: input.episodeWindowDays, updatedBy: principal.userId },
    update: { episodeWindowDays: input.episodeWindowDays, updatedBy: principal.userId, updatedAt: new Date() },
  });
  await recordAuditEvent(tx, {
    action: 'lead_settings.updated',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'practice', id: input.practiceId },
    fields: ['episodeWindowDays'],
    details: { from: before.episodeWindowDays, to: input.episodeWindowDays },
  });
  return { settings: { episodeWindowDays: input.episodeWindowDays }, windowChanged: before.episodeWindowDays !== input.episodeWindowDays };
}
