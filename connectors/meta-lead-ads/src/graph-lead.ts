import { blankToNull, type Lead } from '@sourceline/sdk';
import { z } from 'zod';

/** `meta:lead:{leadgen_id}` (§0.3). */
export function metaLeadId(leadgenId: string): string {
  return `meta:lead:${leadgenId}`;
}

const GraphId = z.string().regex(/^\d+$/, 'a numeric id');

/**
 * A lead as the Graph API returns it (§7.3). `created_time` is ISO 8601 with a `+0000` offset (no colon), unlike the
 * webhook's Unix seconds. `ad_*`, `adset_*`, `campaign_*`, `is_organic` and `platform` depend on the Graph version and
 * the token's permissions, so they are optional.
 */
export const GraphLead = z.looseObject({
  id: GraphId,
  created_time: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/, 'expected an ISO 8601 time'),
  ad_id: z.string().nullish(),
  ad_name: z.string().nullish(),
  adset_id: z.string().nullish(),
  adset_name: z.string().nullish(),
  campaign_id: z.string().nullish(),
  campaign_name: z.string().nullish(),
  form_id: z.string().nullish(),
  is_organic: z.boolean().nullish(),
  platform: z.string().nullish(),
  field_data: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).default([]),
});
export type GraphLead = z.infer<typeof GraphLead>;

/** The prefill keys of Meta's standard questions; every other key is a question the advertiser wrote. */
const identityKeys = new Set(['full_name', 'first_name', 'last_name', 'email', 'phone_number']);
const profileKeys = new Set(['zip_code', 'post_code', 'city', 'state', 'country', 'street_address', 'date_of_birth', 'gender']);

/** `2025-03-14T16:02:09+0000` → an instant JavaScript can read (it needs `+00:00`). */
export function graphTimeToIso(value: string): string {
  return new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
}

/**
 * Maps a Graph lead to a Lead. Instant forms never visit the website, so there are no UTMs, click ids or landing page;
 * the campaign and ad set come from the lead itself, and `adId` is kept only for paid leads (`is_organic` true means
 * the form was opened from the Page, not an ad). Answers to the advertiser's own questions go to the message.
 */
export function graphLeadToLead(lead: GraphLead, context: { locationId: string | null }): Lead {
  const answers = new Map(lead.field_data.map((f) => [f.name, f.values.map((v) => v.trim()).filter(Boolean).join(', ')]));
  const answer = (key: string) => blankToNull(answers.get(key));
  const splitName = [answer('first_name'), answer('last_name')].filter(Boolean).join(' ');
  const custom = [...answers].filter(([key, value]) => value && !identityKeys.has(key) && !profileKeys.has(key)).map(([key, value]) => `${key}: ${value}`);
  const paid = Boolean(lead.ad_id) && lead.is_organic !== true;
  return {
    id: metaLeadId(lead.id),
    occurredAt: graphTimeToIso(lead.created_time),
    kind: 'form',
    channel: null,
    source: lead.platform === 'ig' ? 'instagram' : 'facebook',
    medium: null,
    campaign: blankToNull(lead.campaign_name),
    adGroup: blankToNull(lead.adset_name),
    keyword: null,
    gclid: null,
    name: answer('full_name') ?? (splitName || null),
    phone: answer('phone_number'),
    email: answer('email'),
    landingPage: null,
    message: custom.length > 0 ? custom.join('\n') : null,
    durationSeconds: null,
    locationId: context.locationId,
    referrer: null,
    clickIds: null,
    trackingNumber: null,
    sourceLabel: null,
    campaignId: blankToNull(lead.campaign_id),
    adId: paid ? blankToNull(lead.ad_id) : null,
    isFirstContact: null,
  };
}
