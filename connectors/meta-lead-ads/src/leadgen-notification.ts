import { issuesFromZod, LooseId, LooseInt, type Lead, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';
import { metaLeadId } from './graph-lead.ts';

/**
 * A Page webhook delivery (§7.2): ids only, the lead's answers must be fetched. One POST may batch several `entry[]`
 * and `changes[]`; only `field: "leadgen"` changes are leads. Ids are numeric strings (parsed as strings, never as
 * numbers: they exceed JavaScript's safe integers).
 */
const LeadgenChange = z.object({
  field: z.string(),
  value: z.looseObject({
    leadgen_id: LooseId.optional(),
    page_id: LooseId.optional(),
    form_id: LooseId.optional(),
    ad_id: LooseId.nullish(),
    adgroup_id: LooseId.nullish(),
    created_time: LooseInt.optional(),
  }),
});

export const PageWebhook = z.object({
  object: z.string(),
  entry: z.array(z.object({ id: LooseId, time: LooseInt.optional(), changes: z.array(LeadgenChange).default([]) })),
});

/** One lead the notification announced: what the platform fetches from the Graph API. */
export interface LeadgenNotice {
  leadgenId: string;
  pageId: string;
  formId: string | null;
  adId: string | null;
  /** Unix seconds of the submission (falls back to the batch time). */
  createdTime: number;
}

export function leadgenNoticesOf(body: unknown, label: string): { notices: LeadgenNotice[]; issues: ParseIssue[] } {
  const parsed = PageWebhook.safeParse(body);
  if (!parsed.success) return { notices: [], issues: issuesFromZod(parsed.error, label) };
  if (parsed.data.object !== 'page') return { notices: [], issues: [{ record: label, field: 'object', message: 'not a Page webhook' }] };
  const notices: LeadgenNotice[] = [];
  const issues: ParseIssue[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'leadgen') continue;
      const { leadgen_id: leadgenId, created_time: createdTime } = change.value;
      const time = createdTime ?? entry.time;
      if (!leadgenId || time === undefined) {
        issues.push({ record: `${label} page ${entry.id}`, field: leadgenId ? 'created_time' : 'leadgen_id', message: 'missing' });
        continue;
      }
      notices.push({
        leadgenId, pageId: change.value.page_id ?? entry.id, formId: change.value.form_id ?? null,
        adId: change.value.ad_id ?? change.value.adgroup_id ?? null, createdTime: time,
      });
    }
  }
  return { notices, issues };
}

/**
 * A placeholder lead for a notice: when it came in and whether an ad produced it. The webhook's records are
 * provisional; the lead fetched from the Graph API (or the reconcile stream) replaces it with names and answers.
 */
export function noticeToPlaceholderLead(notice: LeadgenNotice, locationId: string | null): Lead {
  return {
    id: metaLeadId(notice.leadgenId),
    occurredAt: new Date(notice.createdTime * 1000).toISOString(),
    kind: 'form', channel: null, source: null, medium: null, campaign: null, adGroup: null, keyword: null, gclid: null,
    name: null, phone: null, email: null, landingPage: null, message: null, durationSeconds: null, locationId,
    referrer: null, clickIds: null, trackingNumber: null, sourceLabel: null, campaignId: null, adId: notice.adId, isFirstContact: null,
  };
}
