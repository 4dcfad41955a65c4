import { connectionHealth } from '../connections/connection-health.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { rollupLeadsByDay } from '../attribution/practice/read-rollups.ts';
import { databaseReads, totalsOfChannels, type PerformanceReads } from './practice-performance.ts';
import { quietStretches } from './quiet-stretches.ts';
import { previousRange, type DayRange } from './report-range.ts';

export type DataQualityKind =
  | 'unmatched-leads'
  | 'review-queue'
  | 'leads-without-source'
  | 'sync-problem'
  | 'lead-gap'
  | 'unattributed-patients'
  | 'lead-drop'
  | 'lead-spike';

/** Something in the data that makes the figures less trustworthy, with what to do about it. Counts only: no PHI. */
export interface DataQualityIssue {
  kind: DataQualityKind;
  severity: 'info' | 'warning' | 'critical';
  count: number;
  title: string;
  action: string;
}

/** Below these, a share is normal for dental marketing and not worth a warning. */
const UNMATCHED_WARNING = 0.75;
const UNATTRIBUTED_WARNING = 0.6;
const LEAD_DROP_WARNING = 0.4;
/** Leads more than this many times the previous period's, with the ads unchanged, are usually spam or a double feed. */
const LEAD_SPIKE_FACTOR = 2;
/** A connection that syncs every few minutes and nightly has stopped when its last sync is this old. */
const STALE_SYNC_HOURS = 36;
/** At most this many quiet stretches are listed: more say the same thing. */
const MAX_GAPS = 3;

const percent = (share: number) => `${Math.round(share * 100)}%`;
const dayLabel = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/**
 * What a practice should look at before trusting a range's figures: leads matching could not link, pairs waiting for a
 * person, leads that arrived without any marketing evidence, connections that stopped syncing, days on which leads
 * stopped arriving altogether, new patients no touch explains, and sudden jumps in leads against the previous period
 * (a fall: a form or tracking number that broke; a surge: spam or a source sending twice). Ordered by severity.
 */
export async function dataQuality(
  tx: Tx,
  practiceId: string,
  range: DayRange & { locationId?: string | null },
  reads: PerformanceReads = databaseReads,
): Promise<DataQualityIssue[]> {
  const issues: DataQualityIssue[] = [];
  // New leads and the linked ones come from the rollups, as on the dashboard; only the sourceless need the leads
  // themselves, through an index that holds nothing else. The range's bounds are computed once (subqueries), so they
  // bound the index scan instead of being computed for, and filtering, every sourceless lead the practice ever had. Leads and whole new patients are the same under every
  // model: the default model's totals are those the dashboard beside this panel has read already.
  // On a location's dashboard the figures are that location's (its leads, its new patients); syncs, the review queue
  // and the practice's connections stay practice-wide, as they are.
  const locationId = range.locationId ?? null;
  const model = await reads.model(tx, practiceId);
  const channels = await reads.byChannel(tx, practiceId, model, { from: range.from, to: range.to, locationId });
  const current = totalsOfChannels(channels);
  const previous = await reads.totals(tx, practiceId, model, { ...previousRange(range), locationId });
  const [counts] = await tx.$queryRaw<[{ sourceless: number; review: number; lastWholeDay: string }]>`
    SELECT (SELECT count(*)::int FROM leads l
             WHERE l.practice_id = ${practiceId}::uuid
               AND l.channel_rule = 'R19' AND l.contact_type = 'first-time' AND l.deleted_at IS NULL
               AND l.occurred_at >= (SELECT ${range.from}::date::timestamp AT TIME ZONE time_zone FROM practices WHERE id = ${practiceId}::uuid)
               AND l.occurred_at < (SELECT (${range.to}::date + 1)::timestamp AT TIME ZONE time_zone FROM practices WHERE id = ${practiceId}::uuid)
               AND (${locationId}::uuid IS NULL OR EXISTS (SELECT 1 FROM connections c WHERE c.id = l.connection_id AND c.location_id = ${locationId}::uuid))) AS sourceless,
           (SELECT coalesce(sum(review), 0)::int FROM lead_match_counts WHERE practice_id = ${practiceId}::uuid) AS review,
           (SELECT ((now() AT TIME ZONE time_zone)::date - 1)::text FROM practices WHERE id = ${practiceId}::uuid) AS "lastWholeDay"`;
  const firstTime = current.leads;
  const unmatched = current.leads - current.linkedLeads;

  const health = (await connectionHealth(tx, [practiceId])).get(practiceId)!;
  if (health.status === 'auth_failed' || health.status === 'error' || health.status === 'rate_limited') {
    issues.push({
      kind: 'sync-problem',
      severity: health.status === 'rate_limited' ? 'warning' : 'critical',
      count: 1,
      title: health.status === 'auth_failed' ? 'A source rejected its credentials' : health.status === 'error' ? 'A sync is failing' : 'A source is rate-limiting syncs',
      action: 'Open Integrations: the connection’s status and last run say what failed; records after its last good sync are missing from these figures.',
    });
  }
  const staleHours = health.lastSyncedAt ? (Date.now() - health.lastSyncedAt.getTime()) / 3_600_000 : 0;
  if (health.status === 'ok' && staleHours >= STALE_SYNC_HOURS) {
    const days = Math.floor(staleHours / 24);
    issues.push({
      kind: 'sync-problem',
      severity: 'warning',
      count: 1,
      title: `A connection last synced ${days === 1 ? 'a day' : `${days} days`} ago`,
      action: 'Syncs run every few minutes and nightly: open Integrations and press "Sync now"; if it does not start, the worker process is not running.',
    });
  }
  if (health.status === 'none') {
    issues.push({ kind: 'sync-problem', severity: 'critical', count: 0, title: 'Nothing is connected', action: 'Connect Open Dental and the lead sources under Integrations.' });
  }
  if (current.leads + previous.leads > 0) {
    const gaps = quietStretches(range, await rollupLeadsByDay(tx, practiceId, model, { from: range.from, to: range.to, locationId }), counts.lastWholeDay);
    for (const gap of gaps.slice(0, MAX_GAPS)) {
      issues.push({
        kind: 'lead-gap',
        severity: 'warning',
        count: gap.days,
        title: gap.days === 1 ? `No leads at all on ${dayLabel(gap.from)}` : `No leads at all from ${dayLabel(gap.from)} to ${dayLabel(gap.to)}`,
        action: `At this range’s pace about ${gap.expectedLeads} would have come in. A form, webhook or tracking number may have stopped: check each source’s last delivery under Integrations, and send a test form.`,
      });
    }
  }
  if (counts.review > 0) {
    issues.push({
      kind: 'review-queue',
      severity: counts.review > 25 ? 'warning' : 'info',
      count: counts.review,
      title: `${counts.review} lead–patient ${counts.review === 1 ? 'pair waits' : 'pairs wait'} for review`,
      action: 'Open the review queue: decide the pairs with the most revenue at stake first.',
    });
  }
  if (firstTime > 0 && unmatched / firstTime >= UNMATCHED_WARNING) {
    issues.push({
      kind: 'unmatched-leads',
      severity: 'warning',
      count: unmatched,
      title: `${percent(unmatched / firstTime)} of new leads are linked to no patient`,
      action: 'Many leads never become patients, but this many suggests charts without phone or e-mail, or a PMS not yet synced. Check the unmatched leads.',
    });
  }
  if (counts.sourceless > 0) {
    issues.push({
      kind: 'leads-without-source',
      severity: firstTime > 0 && counts.sourceless / firstTime > 0.1 ? 'warning' : 'info',
      count: counts.sourceless,
      title: `${counts.sourceless} new ${counts.sourceless === 1 ? 'lead arrived' : 'leads arrived'} with no marketing evidence`,
      action: 'Add UTM tags to ads and links, map the hidden fields of your forms (or add the tracking script), or write a channel rule for them.',
    });
  }

  if (current.newPatients > 0) {
    // Patients no touch explains are the rollups' unattributed channel, under every model.
    const unattributed = channels.find((c) => c.channel === 'unattributed')?.newPatients ?? 0;
    if (unattributed / current.newPatients >= UNATTRIBUTED_WARNING) {
      issues.push({
        kind: 'unattributed-patients',
        severity: 'warning',
        count: unattributed,
        title: `${percent(unattributed / current.newPatients)} of new patients have no recorded marketing touch`,
        action: 'Connect call tracking and the website’s forms, and have the front desk record "how did you hear about us" in Open Dental.',
      });
    }
  }
  if (previous.leads >= 20 && current.leads < (1 - LEAD_DROP_WARNING) * previous.leads) {
    issues.push({
      kind: 'lead-drop',
      severity: 'warning',
      count: previous.leads - current.leads,
      title: `Leads fell ${percent(1 - current.leads / previous.leads)} against the previous period`,
      action: 'A broken form, a lapsed tracking number or a paused campaign shows like this: check the leads by channel and the sources’ webhooks.',
    });
  }
  if (previous.leads >= 20 && current.leads > LEAD_SPIKE_FACTOR * previous.leads) {
    issues.push({
      kind: 'lead-spike',
      severity: 'info',
      count: current.leads - previous.leads,
      title: `Leads rose ${percent(current.leads / previous.leads - 1)} against the previous period`,
      action: 'Welcome if a campaign started. If not, look for spam form fills and for a source that sends each lead twice: check the leads by channel.',
    });
  }
  const order = { critical: 0, warning: 1, info: 2 };
  return issues.sort((a, b) => order[a.severity] - order[b.severity]);
}
