import { defineStream, emitted, IsoDateTime, issuesFromZod, type Lead, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';
import { CallRailCall, callToLead } from './call.ts';
import { CallRailClient, readCallsPage } from './callrail-api.ts';
import type { CallRailSettings } from './settings.ts';

/**
 * The reconciler behind the webhooks: CallRail never retries a delivery, so every run lists calls again from a little
 * before the newest one it saw (`overlapHours`, 48 by default: post-call data and edits land late) and upserts them.
 */
const Cursor = z.object({ startedThrough: IsoDateTime });
type Cursor = z.infer<typeof Cursor>;

export function mapCalls(items: readonly unknown[], label: string, locationId: string | null): { leads: Lead[]; issues: ParseIssue[] } {
  const leads: Lead[] = [];
  const issues: ParseIssue[] = [];
  items.forEach((item, i) => {
    const call = CallRailCall.safeParse(item);
    if (!call.success) {
      issues.push(...issuesFromZod(call.error, `${label} call ${i + 1}`));
      return;
    }
    const lead = callToLead(call.data, { stage: 'completed', locationId });
    if (lead) leads.push(lead);
  });
  return { leads, issues };
}

export const callsStream = defineStream<CallRailSettings, Cursor>({
  name: 'calls',
  description: 'Inbound calls from CallRail REST v3, re-read behind the newest one to fill webhook gaps',
  emits: ['lead'],
  defaultIntervalMinutes: 15,
  cursor: { schema: Cursor, compare: (a, b) => Date.parse(a.startedThrough) - Date.parse(b.startedThrough) },
  async sync(ctx) {
    const client = new CallRailClient(ctx.http, ctx.settings);
    const previous = ctx.cursor.get();
    const since = previous
      ? Date.parse(previous.startedThrough) - ctx.settings.overlapHours * 3_600_000
      : ctx.now().getTime() - ctx.settings.backfillDays * 86_400_000;
    let newest = previous ? Date.parse(previous.startedThrough) : since;
    for (let page = 1; ; page++) {
      const listing = await client.listCalls({ startDate: new Date(since).toISOString(), page });
      const { leads, issues } = mapCalls(listing.calls, `calls page ${page}`, ctx.settings.locationId);
      for (const issue of issues) ctx.log.warn('skipped an unreadable call', { record: issue.record, field: issue.field });
      if (leads.length > 0) await ctx.emit('lead', leads);
      for (const lead of leads) newest = Math.max(newest, Date.parse(lead.occurredAt));
      await ctx.cursor.set({ startedThrough: new Date(newest).toISOString() });
      ctx.progress(page, listing.total_pages);
      ctx.log.info('calls page synced', { page, calls: listing.calls.length, leads: leads.length });
      if (page >= listing.total_pages || listing.calls.length === 0) return;
    }
  },
  parse(payload, settings) {
    const read = readCallsPage(payload.body, payload.name);
    if ('issues' in read) return { records: [], issues: read.issues };
    const { leads, issues } = mapCalls(read.page.calls, payload.name, settings.locationId ?? null);
    return { records: leads.map((lead) => emitted('lead', lead)), issues };
  },
});
