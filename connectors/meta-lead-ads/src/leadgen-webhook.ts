import { defineWebhook, emitted, readJsonPayload, webhookBodyBytes } from '@sourceline/sdk';
import { leadgenNoticesOf, noticeToPlaceholderLead } from './leadgen-notification.ts';
import type { MetaLeadAdsSettings } from './settings.ts';
import { verifyMetaSignature } from './signature.ts';
import { answerSubscribeChallenge } from './subscribe-challenge.ts';

/**
 * Meta's Page `leadgen` webhook: at least once, unordered, retried for 36 hours, ids only. Its leads are provisional
 * placeholders (inserted if absent, never overwriting): after storing a delivery the platform fetches each lead with
 * `retrieveMetaLead`, and the `leads` stream reconciles whatever was missed.
 */
export const leadgenWebhook = defineWebhook<MetaLeadAdsSettings>({
  name: 'leadgen',
  description: 'Meta Page webhook (field leadgen): a lead form was submitted; the lead is then fetched from the Graph API',
  emits: ['lead'],
  provisional: true,
  verify: (request, settings) => verifyMetaSignature(request.headers, webhookBodyBytes(request), settings.appSecret),
  challenge: (query, settings) => answerSubscribeChallenge(query, settings),
  parse(payload, settings) {
    const json = readJsonPayload(payload);
    if (!json.ok) return { records: [], issues: [json.issue] };
    const { notices, issues } = leadgenNoticesOf(json.value, payload.name);
    return { records: notices.map((notice) => emitted('lead', noticeToPlaceholderLead(notice, settings.locationId ?? null))), issues };
  },
});
