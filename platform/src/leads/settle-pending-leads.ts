import { loadPracticeChannelConfig } from '../channels/practice-channel-config.ts';
import { withTenant, type Tx } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { classifyStoredLeads, leadTouchColumns, type LeadTouchRow, type StoredChannelDecision } from './classify-stored-leads.ts';
import { lockLeadProcessing } from './lead-processing-lock.ts';
import { loadLeadSettings } from './lead-settings.ts';
import { planEpisodes, type EpisodeChange } from './recompute-episodes.ts';

interface PendingLeadRow extends LeadTouchRow {
  deleted: boolean;
  /** lead_settle_key of the content read (hex): what is marked settled, so a rewrite racing this step stays pending. */
  settle_key: string;
}

/** Leads are settled this many per transaction: short transactions keep the practice's lock and Prisma's timeout happy. */
const BATCH_SIZE = 200;

/** Leads of the practice whose derived columns lag their content: new, changed, withdrawn or restored since. */
function loadPendingLeads(tx: Tx, practiceId: string, limit: number): Promise<PendingLeadRow[]> {
  return tx.$queryRaw<PendingLeadRow[]>`
    SELECT ${leadTouchColumns}, l.deleted_at IS NOT NULL AS deleted, encode(lead_settle_key(l.content_hash, l.deleted_at), 'hex') AS settle_key
      FROM leads l JOIN connections c ON c.id = l.connection_id
     WHERE l.practice_id = ${practiceId}::uuid AND l.settle_pending
     ORDER BY l.id
     LIMIT ${limit}`;
}

async function settleBatch(tx: Tx, practiceId: string): Promise<number> {
  await lockLeadProcessing(tx, practiceId);
  const pending = await loadPendingLeads(tx, practiceId, BATCH_SIZE);
  if (pending.length === 0) return 0;
  const config = await loadPracticeChannelConfig(tx, practiceId);
  const decisions = classifyStoredLeads(pending.filter((p) => !p.deleted), config);
  const { episodeWindowDays } = await loadLeadSettings(tx, practiceId);
  const { changes } = await planEpisodes(tx, practiceId, pending.map((p) => p.id), episodeWindowDays);
  await writeSettled(tx, pending, decisions, config.rulesVersion, changes);
  return pending.length;
}

/**
 * Everything settling decided, in one statement: each lead's channel, the episodes of everyone regrouped, and the
 * settled state — only where the content is still what was read, so a lead rewritten meanwhile keeps a different key
 * and stays pending. Written in three statements, a new lead got three row versions in one transaction and fired its
 * attribution trigger twice.
 */
async function writeSettled(
  tx: Tx,
  pending: readonly PendingLeadRow[],
  decisions: readonly StoredChannelDecision[],
  rulesVersion: string,
  changes: readonly EpisodeChange[],
): Promise<void> {
  const rows = new Map<string, { decision?: StoredChannelDecision; change?: EpisodeChange; settleKey?: string }>();
  const row = (id: string) => rows.get(id) ?? rows.set(id, {}).get(id)!;
  for (const lead of pending) row(lead.id).settleKey = lead.settle_key;
  for (const decision of decisions) row(decision.leadId).decision = decision;
  for (const change of changes) row(change.id).change = change;
  const all = [...rows];
  const column = <T>(pick: (r: (typeof all)[number][1]) => T) => all.map(([, r]) => pick(r));
  await tx.$executeRaw`
    UPDATE leads l
       SET classified_channel = CASE WHEN u.classify THEN u.channel ELSE l.classified_channel END,
           channel_rule = CASE WHEN u.classify THEN u.rule ELSE l.channel_rule END,
           channel_display_name = CASE WHEN u.classify THEN u.display_name ELSE l.channel_display_name END,
           channel_rules_version = CASE WHEN u.classify THEN ${rulesVersion} ELSE l.channel_rules_version END,
           episode_id = CASE WHEN u.regroup THEN u.episode_id ELSE l.episode_id END,
           contact_type = CASE WHEN u.regroup THEN u.contact_type ELSE l.contact_type END,
           settled_state = CASE WHEN lead_settle_key(l.content_hash, l.deleted_at) = decode(u.settle_key, 'hex')
                                THEN decode(u.settle_key, 'hex') ELSE l.settled_state END
      FROM unnest(${all.map(([id]) => id)}::uuid[],
                  ${column((r) => r.decision !== undefined)}::bool[], ${column((r) => r.decision?.channel ?? null)}::text[],
                  ${column((r) => r.decision?.rule ?? null)}::text[], ${column((r) => r.decision?.displayName ?? null)}::text[],
                  ${column((r) => r.change !== undefined)}::bool[], ${column((r) => r.change?.episodeId ?? null)}::uuid[],
                  ${column((r) => r.change?.contactType ?? null)}::text[], ${column((r) => r.settleKey ?? null)}::text[])
           AS u(id, classify, channel, rule, display_name, regroup, episode_id, contact_type, settle_key)
     WHERE l.id = u.id`;
}

/**
 * Gives every pending lead of the practice its channel (with the practice's rules) and regroups the episodes of the
 * people they belong to. Called right after leads land; idempotent, so running it again — or from the sweep, after a
 * process died between landing and settling — changes nothing that is already settled. Returns how many it settled.
 */
export async function settlePendingLeads(platform: Platform, practiceId: string): Promise<number> {
  let settled = 0;
  for (;;) {
    const count = await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => settleBatch(tx, practiceId));
    settled += count;
    if (count < BATCH_SIZE) return settled;
  }
}

/**
 * The hook the record writers call once leads have landed. It never fails the delivery or sync that landed them: those
 * records are committed, and what is left pending here is settled by the `settle_pending_leads` sweep.
 */
export async function settleLandedLeads(platform: Platform, practiceId: string): Promise<void> {
  try {
    await settlePendingLeads(platform, practiceId);
  } catch (error) {
    // Lead processing reads no PHI, but only the error's class and code are logged regardless.
    platform.logger.warn({ practiceId, error: (error as Error).name, code: (error as { code?: string }).code }, 'leads landed but were not settled; the sweep will retry');
  }
}
