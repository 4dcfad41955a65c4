import { defineStream, emitted, IsoDateTime, issuesFromZod, readJsonPayload, type Lead, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';
import { GraphPage, MetaGraphClient } from './graph-api.ts';
import { GraphLead, graphLeadToLead } from './graph-lead.ts';
import type { MetaLeadAdsSettings } from './settings.ts';

/** The newest lead creation time a completed reconcile saw. */
const Cursor = z.object({ createdThrough: IsoDateTime });
type Cursor = z.infer<typeof Cursor>;

export function mapGraphLeads(items: readonly unknown[], label: string, locationId: string | null): { leads: Lead[]; issues: ParseIssue[] } {
  const leads: Lead[] = [];
  const issues: ParseIssue[] = [];
  items.forEach((item, i) => {
    const lead = GraphLead.safeParse(item);
    if (lead.success) leads.push(graphLeadToLead(lead.data, { locationId }));
    else issues.push(...issuesFromZod(lead.error, `${label} lead ${i + 1}`));
  });
  return { leads, issues };
}

/**
 * The daily reconcile behind the webhook: lists each lead form's leads created since a little before the newest one
 * seen. Forms are read one after another, so the cursor can only move once all of them are done; pages in between
 * are committed with the previous cursor (a crash re-reads from there, and upserts make that harmless).
 */
export const leadsStream = defineStream<MetaLeadAdsSettings, Cursor>({
  name: 'leads',
  description: 'Leads of the Page’s lead forms from the Graph API, to fetch details and catch missed webhooks',
  emits: ['lead'],
  defaultIntervalMinutes: 24 * 60,
  cursor: { schema: Cursor, compare: (a, b) => Date.parse(a.createdThrough) - Date.parse(b.createdThrough) },
  async sync(ctx) {
    const client = new MetaGraphClient(ctx.http, ctx.settings);
    const previous = ctx.cursor.get();
    const since = previous
      ? Date.parse(previous.createdThrough) - ctx.settings.overlapHours * 3_600_000
      : ctx.now().getTime() - ctx.settings.backfillDays * 86_400_000;
    const checkpoint: Cursor = previous ?? { createdThrough: new Date(since).toISOString() };
    let newest = Date.parse(checkpoint.createdThrough);
    const formIds = ctx.settings.formIds.length > 0 ? ctx.settings.formIds : await client.formIds();
    for (const [index, formId] of formIds.entries()) {
      let after: string | undefined;
      do {
        const page = await client.formLeads(formId, Math.floor(since / 1000), after);
        const { leads, issues } = mapGraphLeads(page.data, `form ${formId}`, ctx.settings.locationId);
        for (const issue of issues) ctx.log.warn('skipped an unreadable lead', { record: issue.record, field: issue.field });
        if (leads.length > 0) await ctx.emit('lead', leads);
        for (const lead of leads) newest = Math.max(newest, Date.parse(lead.occurredAt));
        await ctx.cursor.set(checkpoint);
        ctx.log.info('lead form page synced', { formId, leads: leads.length });
        after = page.paging?.next ? page.paging.cursors?.after : undefined;
      } while (after);
      ctx.progress(index + 1, formIds.length);
    }
    await ctx.cursor.set({ createdThrough: new Date(newest).toISOString() });
  },
  parse(payload, settings) {
    const json = readJsonPayload(payload);
    if (!json.ok) return { records: [], issues: [json.issue] };
    // A saved collection page (GET /{form_id}/leads) or a single lead (GET /{leadgen_id}).
    const page = GraphPage.safeParse(json.value);
    const { leads, issues } = mapGraphLeads(page.success ? page.data.data : [json.value], payload.name, settings.locationId ?? null);
    return { records: leads.map((lead) => emitted('lead', lead)), issues };
  },
});
