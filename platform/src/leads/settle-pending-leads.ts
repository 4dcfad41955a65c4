import { loadPracticeChannelConfig } from '../channels/practice-channel-config.ts';
import { withTenant, type Tx } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { classifyStoredLeads, leadTouchColumns, writeChannelDecisions, type LeadTouchRow } from './classify-stored-leads.ts';
import { lockLeadProcessing } from './lead-processing-lock.ts';
import { loadLeadSettings } from './lead-settings.ts';
import { recomputeEpisodes } from './recompute-episodes.ts';

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
  await writeChannelDecisions(tx, classifyStoredLeads(pending.filter((p) => !p.deleted), config), config.rulesVersion);
  const { episodeWindowDays } = await loadLeadSettings(tx, practiceId);
  await recomputeEpisodes(tx, practiceId, pending.map((p) => p.id), episodeWindowDays);
  // Only where the content is still what was read: a lead rewritten meanwhile keeps a different key and stays pending.
  await tx.$executeRaw`
    UPDATE leads l SET settled_state = decode(u.settle_key, 'hex')
      FROM unnest(${pending.map((p) => p.id)}::uuid[], ${pending.map((p) => p.settle_key)}::text[]) AS u(id, settle_key)
     WHERE l.id = u.id AND lead_settle_key(l.content_hash, l.deleted_at) = decode(u.settle_key, 'hex')`;
  return pending.length;
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
