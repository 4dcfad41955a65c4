import type pg from 'pg';
import { recordAuditEvent, type AuditOrigin } from '../../audit/record-audit-event.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Tx } from '../../db/tenant-transaction.ts';
import { UserFacingError } from '../../errors.ts';
import { requirePracticeRole } from '../../tenancy/tenants.ts';
import { AttributionSettings, type AttributionModelId } from '../attribution-settings.ts';

/** What a practice may change of its attribution; the rest are the engine's defaults. */
export interface EditableAttributionSettings {
  defaultModel: AttributionModelId;
  lookbackDays: number;
  halfLifeDays: number;
}

export const DEFAULT_ATTRIBUTION_SETTINGS: EditableAttributionSettings = (({ defaultModel, lookbackDays, halfLifeDays }) => ({ defaultModel, lookbackDays, halfLifeDays }))(AttributionSettings.parse({}));

/** The practice's settings as the engine takes them (no row: the defaults). */
export async function readAttributionSettings(client: pg.PoolClient, practiceId: string): Promise<EditableAttributionSettings> {
  const { rows } = await client.query<EditableAttributionSettings>(
    'SELECT default_model AS "defaultModel", lookback_days AS "lookbackDays", half_life_days AS "halfLifeDays" FROM attribution_settings WHERE practice_id = $1',
    [practiceId],
  );
  return rows[0] ?? DEFAULT_ATTRIBUTION_SETTINGS;
}

export async function attributionSettingsOf(tx: Tx, practiceId: string): Promise<EditableAttributionSettings> {
  const row = await tx.attributionSettings.findUnique({ where: { practiceId } });
  return row ? { defaultModel: row.defaultModel as AttributionModelId, lookbackDays: row.lookbackDays, halfLifeDays: row.halfLifeDays } : DEFAULT_ATTRIBUTION_SETTINGS;
}

/**
 * Admins change the default model, the lookback window or the time-decay half-life; every stored credit follows on the
 * next run, which the caller queues after the commit. Audited with the old and new values (none of them PHI).
 */
export async function updateAttributionSettings(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; changes: Partial<EditableAttributionSettings>; origin: AuditOrigin },
): Promise<EditableAttributionSettings> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const before = await attributionSettingsOf(tx, input.practiceId);
  const parsed = AttributionSettings.pick({ defaultModel: true, lookbackDays: true, halfLifeDays: true }).safeParse({ ...before, ...stripNulls(input.changes) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'settings');
    const message =
      field === 'lookbackDays' ? 'The lookback window must be a whole number of days from 0 to 3650.'
        : field === 'halfLifeDays' ? 'The half-life must be more than 0 and at most 3650 days.'
          : 'Choose one of the attribution models.';
    throw new UserFacingError(message, 'BAD_USER_INPUT', { field });
  }
  const after = parsed.data as EditableAttributionSettings;
  await tx.attributionSettings.upsert({
    where: { practiceId: input.practiceId },
    create: { practiceId: input.practiceId, ...after, updatedBy: principal.userId },
    update: { ...after, updatedBy: principal.userId, updatedAt: new Date() },
  });
  await recordAuditEvent(tx, {
    action: 'attribution.settings_updated',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'practice', id: input.practiceId },
    details: {
      defaultModel: after.defaultModel, lookbackDays: after.lookbackDays, halfLifeDays: after.halfLifeDays,
      previousDefaultModel: before.defaultModel, previousLookbackDays: before.lookbackDays, previousHalfLifeDays: before.halfLifeDays,
    },
  });
  return after;
}

function stripNulls<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as Partial<T>;
}
