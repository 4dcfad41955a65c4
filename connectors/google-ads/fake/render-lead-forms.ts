import { createHash } from 'node:crypto';
import type { WebhookRequest } from '@sourceline/sdk';
import { leadSystemOf, type DemoPractice } from '@sourceline/sdk/testkit';
import type { FakeAdsAccount } from './world-account.ts';

export interface LeadFormDelivery {
  webhook: 'lead-form';
  leadId: string;
  /** When Google sent it: the lead's time (the payload has none, so the platform dates the lead by receipt). */
  receivedAt: string;
  request: WebhookRequest;
}

/** int64 fields Google writes as bare JSON numbers, including creative ids past 2^53. */
const int64Fields = ['form_id', 'campaign_id', 'adgroup_id', 'creative_id'] as const;

/**
 * The lead form asset webhooks Google would send for the practice's lead-form leads: WebhookLead JSON with the asset's
 * `google_key`, `gcl_id`, and int64 ids as JSON numbers (a creative id beyond JavaScript's safe integers among them).
 */
export function renderLeadFormDeliveries(practice: DemoPractice, account: FakeAdsAccount, options: { googleKey: string; url?: string }): LeadFormDelivery[] {
  const campaignIdByName = new Map(account.campaigns.map((c) => [c.name, c.id]));
  return practice.leads.filter((lead) => leadSystemOf(lead) === 'google-ads-lead-form').map((lead, n) => {
    const campaignId = campaignIdByName.get(lead.campaign ?? '') ?? account.campaigns[0]!.id;
    const adGroupId = account.adGroups.find((g) => g.campaignId === campaignId && g.name === lead.adGroup)?.id ?? account.adGroups.find((g) => g.campaignId === campaignId)!.id;
    const digits = (lead.phone ?? '').replace(/\D/g, '').slice(-10);
    const payload = {
      lead_id: `gl-${createHash('sha1').update(lead.id).digest('base64url').slice(0, 22)}`,
      api_version: '1.0', form_id: String(40_000_000_001 + practice.index), campaign_id: campaignId, adgroup_id: adGroupId,
      creative_id: `${9_007_199_254_740_993n + BigInt(n)}`, gcl_id: lead.gclid ?? '', google_key: options.googleKey, is_test: false,
      user_column_data: [
        ...(lead.name ? [{ column_id: 'FULL_NAME', column_name: 'Full Name', string_value: lead.name }] : []),
        ...(digits.length === 10 ? [{ column_id: 'PHONE_NUMBER', column_name: 'User Phone', string_value: `+1${digits}` }] : []),
        ...(lead.email ? [{ column_id: 'EMAIL', column_name: 'User Email', string_value: lead.email }] : []),
      ],
    };
    let body = JSON.stringify(payload);
    for (const field of int64Fields) body = body.replace(new RegExp(`"${field}":"(\\d+)"`), `"${field}":$1`);
    return {
      webhook: 'lead-form', leadId: lead.id, receivedAt: lead.occurredAt,
      request: { method: 'POST', url: options.url ?? '/hooks/google-ads/lead-form', headers: { 'content-type': 'application/json' }, body },
    };
  });
}
