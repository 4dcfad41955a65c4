import type { Task, WorkerUtils } from 'graphile-worker';
import { z } from 'zod';
import { queueAttributionAfter } from '../attribution/practice/attribution-job.ts';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import { bumpChannelRulesRevision, loadPracticeChannelConfig } from '../channels/practice-channel-config.ts';
import { withTenant, type Tx } from '../db/tenant-transaction.ts';
import type { LeadReprocessingRun } from '../generated/prisma/client.ts';
import type { Platform } from '../platform.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { classifyStoredLeads, loadLeadsWithStaleChannels, writeChannelDecisions } from './classify-stored-leads.ts';
import { lockLeadProcessing } from './lead-processing-lock.ts';
import { loadLeadSettings } from './lead-settings.ts';
import { recomputeEpisodes } from './recompute-episodes.ts';

export const LEAD_HISTORY_TASK = 'reprocess_lead_history';

/** What changed: the channel rules or tables (reclassify every lead), or the episode window (regroup every person). */
export const ReprocessReason = z.enum(['channel-rules', 'episode-window']);
export type ReprocessReason = z.infer<typeof ReprocessReason>;

const Payload = z.object({ practiceId: z.uuid() });
const BATCH_SIZE = 500;

/**
 * In the caller's transaction, next to the change that makes it necessary: records that the practice's history needs
 * reprocessing. A run still waiting (or one that failed) takes the new reason on, so a burst of rule edits is one run.
 * Queue the job with `queueLeadHistoryJob` once the transaction has committed.
 */
export async function requestLeadReprocessing(
  tx: Tx,
  input: { practiceId: string; reasons: readonly ReprocessReason[]; requestedBy: string | null },
): Promise<LeadReprocessingRun> {
  const waiting = await tx.leadReprocessingRun.findFirst({
    where: { practiceId: input.practiceId, status: { in: ['queued', 'failed'] } },
    orderBy: { requestedAt: 'desc' },
  });
  if (!waiting) {
    return tx.leadReprocessingRun.create({ data: { practiceId: input.practiceId, reasons: [...new Set(input.reasons)], requestedBy: input.requestedBy } });
  }
  return tx.leadReprocessingRun.update({
    where: { id: waiting.id },
    data: { reasons: [...new Set([...waiting.reasons, ...input.reasons])], status: 'queued', failure: null, requestedAt: new Date(), requestedBy: input.requestedBy },
  });
}

/**
 * An admin asks for the whole history again — after new ad data (clicks, campaign types) arrived for old leads, or a
 * failed run. The rules revision moves on, so every lead counts as classified under old rules.
 */
export async function requestFullReprocessing(tx: Tx, principal: Principal, input: { practiceId: string; origin: AuditOrigin }): Promise<void> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const rulesRevision = await bumpChannelRulesRevision(tx, input.practiceId, principal.userId);
  await recordAuditEvent(tx, {
    action: 'lead_history.reprocess_requested',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'practice', id: input.practiceId },
    details: { rulesRevision },
  });
}

/**
 * Queues the practice's history job. After the commit, not inside it: a worker must never pick the job up before the
 * run it serves is visible. One job per practice waits at a time, and a practice's runs never overlap.
 */
export async function queueLeadHistoryJob(jobs: Pick<WorkerUtils, 'addJob'>, practiceId: string): Promise<void> {
  await jobs.addJob(LEAD_HISTORY_TASK, { practiceId }, { queueName: `lead-history:${practiceId}`, jobKey: `lead-history:${practiceId}`, maxAttempts: 5 });
}

/**
 * Runs a change to what lead processing reads (rules, tables, window) in one tenant transaction together with the
 * reprocessing request it makes necessary, then — once committed — queues the job. `reasons` empty: nothing to redo.
 */
export async function changeThenReprocess<T>(
  scope: { tenant<R>(fn: (tx: Tx, principal: Principal) => Promise<R>): Promise<R>; platform: Pick<Platform, 'jobs'> },
  change: (tx: Tx, principal: Principal) => Promise<{ practiceId: string; result: T; reasons: readonly ReprocessReason[] }>,
): Promise<T> {
  const { practiceId, result, reasons } = await scope.tenant(async (tx, principal) => {
    const outcome = await change(tx, principal);
    if (outcome.reasons.length > 0) await requestLeadReprocessing(tx, { practiceId: outcome.practiceId, reasons: outcome.reasons, requestedBy: principal.userId });
    return outcome;
  });
  if (reasons.length > 0) await queueLeadHistoryJob(scope.platform.jobs, practiceId);
  return result;
}

function inPractice<T>(platform: Platform, practiceId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(platform.db.prisma, { practiceIds: [practiceId] }, fn);
}

async function claimRun(platform: Platform, practiceId: string): Promise<LeadReprocessingRun | null> {
  return inPractice(platform, practiceId, async (tx) => {
    const run = await tx.leadReprocessingRun.findFirst({ where: { practiceId, status: { in: ['queued', 'failed'] } }, orderBy: { requestedAt: 'asc' } });
    if (!run) return null;
    const reclassify = run.reasons.includes('channel-rules');
    const regroup = run.reasons.includes('episode-window');
    const { rulesVersion } = await loadPracticeChannelConfig(tx, practiceId);
    const stale = reclassify
      ? await tx.lead.count({ where: { practiceId, deletedAt: null, OR: [{ channelRulesVersion: null }, { channelRulesVersion: { not: rulesVersion } }] } })
      : 0;
    const live = regroup ? await tx.lead.count({ where: { practiceId, deletedAt: null } }) : 0;
    return tx.leadReprocessingRun.update({
      where: { id: run.id },
      data: { status: 'running', startedAt: new Date(), finishedAt: null, failure: null, leadsDone: 0, leadsTotal: stale + live },
    });
  });
}

async function addProgress(tx: Tx, runId: string, leads: number): Promise<void> {
  if (leads > 0) await tx.leadReprocessingRun.update({ where: { id: runId }, data: { leadsDone: { increment: leads } } });
}

/** Reclassifies leads classified under older rules, a batch per transaction, until none is left. */
async function reclassifyHistory(platform: Platform, run: LeadReprocessingRun): Promise<void> {
  for (;;) {
    const count = await inPractice(platform, run.practiceId, async (tx) => {
      await lockLeadProcessing(tx, run.practiceId);
      // Read per batch: rules changed mid-run make everything stale again, and this loop then simply goes on.
      const config = await loadPracticeChannelConfig(tx, run.practiceId);
      const rows = await loadLeadsWithStaleChannels(tx, run.practiceId, config.rulesVersion, BATCH_SIZE);
      await writeChannelDecisions(tx, classifyStoredLeads(rows, config), config.rulesVersion);
      await addProgress(tx, run.id, rows.length);
      return rows.length;
    });
    if (count < BATCH_SIZE) return;
  }
}

/** Regroups every person's episodes under the current window, walking the practice's leads by id. */
async function regroupHistory(platform: Platform, run: LeadReprocessingRun): Promise<void> {
  const regrouped = new Set<string>();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = await inPractice(platform, run.practiceId, async (tx) => {
      await lockLeadProcessing(tx, run.practiceId);
      const { episodeWindowDays } = await loadLeadSettings(tx, run.practiceId);
      const page = await tx.lead.findMany({
        where: { practiceId: run.practiceId, deletedAt: null, id: { gt: after } },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: BATCH_SIZE,
      });
      // A person met through an earlier page has been regrouped with all their leads already.
      const seeds = page.map((p) => p.id).filter((id) => !regrouped.has(id));
      for (const id of await recomputeEpisodes(tx, run.practiceId, seeds, episodeWindowDays)) regrouped.add(id);
      await addProgress(tx, run.id, page.length);
      return page.map((p) => p.id);
    });
    if (ids.length < BATCH_SIZE) return;
    after = ids[ids.length - 1]!;
  }
}

/**
 * Runs the practice's waiting reprocessing run, if any: reclassification and/or regrouping, each resumable (a retry
 * redoes only what is still stale; regrouping is idempotent) and visible as `leadsDone` of `leadsTotal`.
 */
export async function reprocessLeadHistory(platform: Platform, practiceId: string): Promise<LeadReprocessingRun | null> {
  const run = await claimRun(platform, practiceId);
  if (!run) return null;
  try {
    if (run.reasons.includes('channel-rules')) await reclassifyHistory(platform, run);
    if (run.reasons.includes('episode-window')) await regroupHistory(platform, run);
    return await inPractice(platform, practiceId, async (tx) => {
      const { leadsDone, leadsTotal } = await tx.leadReprocessingRun.findUniqueOrThrow({ where: { id: run.id } });
      // Rules changed mid-run make the run redo leads it had done: the total it counted at the start was too low.
      return tx.leadReprocessingRun.update({
        where: { id: run.id },
        data: { status: 'succeeded', finishedAt: new Date(), leadsTotal: Math.max(leadsDone, leadsTotal ?? 0) },
      });
    });
  } catch (error) {
    // Our own errors and the database's name ids and constraints; lead processing never reads PHI.
    const failure = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 500);
    await inPractice(platform, practiceId, (tx) =>
      tx.leadReprocessingRun.update({ where: { id: run.id }, data: { status: 'failed', finishedAt: new Date(), failure } }),
    );
    throw error;
  }
}

export function leadHistoryTask(platform: Platform): Task {
  return async (payload) => {
    const { practiceId } = Payload.parse(payload);
    // Channels and episodes are what attribution reads of leads: credit follows the new ones.
    if (await reprocessLeadHistory(platform, practiceId)) await queueAttributionAfter(platform, practiceId);
  };
}
