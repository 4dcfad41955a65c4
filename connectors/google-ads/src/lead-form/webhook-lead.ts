import { blankToNull, LooseBool, LooseId, type Lead } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * The lead form asset's webhook body, shaped like Google's `WebhookLead` (§3.5). Note the spelling `gcl_id`. int64 ids
 * arrive as JSON numbers that may exceed JavaScript's safe range: the body is parsed with `parseJsonKeepingInt64`,
 * and ids are kept as strings.
 */
export const WebhookLead = z.looseObject({
  lead_id: z.string().min(1),
  api_version: z.string().optional(),
  form_id: LooseId.optional(),
  campaign_id: LooseId.optional(),
  adgroup_id: LooseId.optional(),
  creative_id: LooseId.optional(),
  asset_group_id: LooseId.optional(),
  gcl_id: z.string().nullish(),
  google_key: z.string().optional(),
  is_test: LooseBool.optional(),
  user_column_data: z.array(z.object({ column_id: z.string().optional(), column_name: z.string().optional(), string_value: z.string().optional() })).default([]),
});
export type WebhookLead = z.infer<typeof WebhookLead>;

export function leadFormLeadId(leadId: string): string {
  return `gads:leadform:${leadId}`;
}

/** Columns that identify the person or their address; every other column is a question the advertiser asked. */
const profileColumns = new Set([
  'FULL_NAME', 'FIRST_NAME', 'LAST_NAME', 'EMAIL', 'PHONE_NUMBER', 'WORK_EMAIL', 'WORK_PHONE', 'POSTAL_CODE', 'CITY', 'REGION', 'COUNTRY',
  'STREET_ADDRESS', 'COMPANY_NAME', 'JOB_TITLE',
]);

/**
 * Maps a lead form submission to a Lead. Google sends no submission time, so the lead is dated by when the platform
 * received it (`receivedAt`). A lead form is filled inside the ad: there is no landing page, but the click id is real.
 */
export function webhookLeadToLead(lead: WebhookLead, context: { receivedAt: string; locationId: string | null }): Lead {
  const column = (id: string) => blankToNull(lead.user_column_data.find((c) => c.column_id === id)?.string_value);
  const splitName = [column('FIRST_NAME'), column('LAST_NAME')].filter(Boolean).join(' ');
  const answers = lead.user_column_data
    .filter((c) => !profileColumns.has(c.column_id ?? '') && blankToNull(c.string_value))
    .map((c) => `${c.column_name ?? c.column_id ?? 'answer'}: ${c.string_value!.trim()}`);
  return {
    id: leadFormLeadId(lead.lead_id),
    occurredAt: new Date(context.receivedAt).toISOString(),
    kind: 'form', channel: null, source: 'google', medium: 'cpc', campaign: null, adGroup: null, keyword: null,
    gclid: blankToNull(lead.gcl_id),
    name: column('FULL_NAME') ?? (splitName || null),
    phone: column('PHONE_NUMBER') ?? column('WORK_PHONE'),
    email: column('EMAIL') ?? column('WORK_EMAIL'),
    landingPage: null,
    message: answers.length > 0 ? answers.join('\n') : null,
    durationSeconds: null, locationId: context.locationId, referrer: null, clickIds: null, trackingNumber: null, sourceLabel: null,
    campaignId: lead.campaign_id ?? null, adId: lead.creative_id ?? null, isFirstContact: null,
  };
}
