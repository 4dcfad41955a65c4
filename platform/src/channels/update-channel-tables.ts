import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { bumpChannelRulesRevision, ChannelTables, loadChannelTables, lockChannelConfig } from './practice-channel-config.ts';

export interface ChannelTablesChange {
  /** Tracking number (as typed) → channel id: R1. */
  trackingNumbers?: Readonly<Record<string, string>> | null;
  /** The practice's own sites (and booking or payment sites): a referrer there reads as no referrer (R17). */
  ownHosts?: readonly string[] | null;
  /** CallRail label → channel id, added to (or correcting) the starter table: R18. */
  callRailLabels?: Readonly<Record<string, string>> | null;
}

/**
 * Replaces the tables an admin changed (omitted ones stay), validated as the classifier reads them. A change moves the
 * rules revision on, so the practice's history is reclassified.
 */
export async function updateChannelTables(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; change: ChannelTablesChange; origin: AuditOrigin },
): Promise<{ tables: ChannelTables; rulesRevision: number }> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  await lockChannelConfig(tx, input.practiceId);
  const { tables: current } = await loadChannelTables(tx, input.practiceId);
  const changed = (Object.keys(input.change) as (keyof ChannelTablesChange)[]).filter((k) => input.change[k] != null);
  const parsed = ChannelTables.safeParse({ ...current, ...Object.fromEntries(changed.map((k) => [k, input.change[k]])) });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join(' ') || 'tables'}: ${issue.message}`);
    throw new UserFacingError(`The channel tables are not valid — ${problems.join('; ')}.`, 'BAD_USER_INPUT', { field: String(parsed.error.issues[0]?.path[0] ?? 'tables') });
  }
  const rulesRevision = await bumpChannelRulesRevision(tx, input.practiceId, principal.userId, parsed.data);
  await recordAuditEvent(tx, {
    action: 'channel_settings.updated',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'practice', id: input.practiceId },
    fields: changed,
    details: { rulesRevision },
  });
  return { tables: parsed.data, rulesRevision };
}
