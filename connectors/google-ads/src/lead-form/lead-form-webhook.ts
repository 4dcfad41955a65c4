import { constantTimeEqual, defineWebhook, emitted, issuesFromZod } from '@sourceline/sdk';
import { parseJsonKeepingInt64 } from '../int64-json.ts';
import type { GoogleAdsSettings } from '../settings.ts';
import { WebhookLead, webhookLeadToLead } from './webhook-lead.ts';

function readBody(body: string): unknown {
  try {
    return parseJsonKeepingInt64(body);
  } catch {
    return undefined;
  }
}

/**
 * Google's only authentication for lead form webhooks is the key configured on the asset, sent back inside the body
 * as `google_key`: compared in constant time. It proves the sender, not the body (TLS protects that).
 */
export function verifyLeadFormKey(body: string, leadFormKey: string | null): boolean {
  if (!leadFormKey) return false;
  const lead = WebhookLead.safeParse(readBody(body));
  return lead.success && typeof lead.data.google_key === 'string' && constantTimeEqual(lead.data.google_key, leadFormKey);
}

export const leadFormWebhook = defineWebhook<GoogleAdsSettings>({
  name: 'lead-form',
  description: 'Google Ads lead form asset submissions, pushed to the webhook URL configured on the asset',
  emits: ['lead'],
  verify: (request, settings) => verifyLeadFormKey(request.body, settings.leadFormKey),
  parse(payload, settings) {
    const body = readBody(payload.body);
    if (body === undefined) return { records: [], issues: [{ record: payload.name, field: '(body)', message: 'not JSON' }] };
    const lead = WebhookLead.safeParse(body);
    if (!lead.success) return { records: [], issues: issuesFromZod(lead.error, payload.name) };
    // "Send test data" from the Ads UI: useful to check the wiring, not a lead.
    if (lead.data.is_test && !settings.keepTestLeads) return { records: [], issues: [] };
    // Google sends no submission time; without the platform's receipt time (offline `connector parse`), use now.
    const receivedAt = payload.receivedAt ?? new Date().toISOString();
    return { records: [emitted('lead', webhookLeadToLead(lead.data, { receivedAt, locationId: settings.locationId ?? null }))], issues: [] };
  },
});
