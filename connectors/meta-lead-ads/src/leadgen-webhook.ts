import { defineWebhook, emitted, FatalError, readJsonPayload, webhookBodyBytes, type EmittedRecord } from '@sourceline/sdk';
import { metaLeadId } from './graph-lead.ts';
import { leadgenNoticesOf, noticeToPlaceholderLead } from './leadgen-notification.ts';
import type { MetaLeadAdsSettings } from './settings.ts';
import { retrieveMetaLead } from './retrieve-lead.ts';
import { verifyMetaSignature } from './signature.ts';
import { answerSubscribeChallenge } from './subscribe-challenge.ts';

/**
 * Meta's Page `leadgen` webhook: at least once, unordered, retried for 36 hours, ids only. Its leads are provisional
 * placeholders (inserted if absent, never overwriting): after storing a delivery the platform calls `complete`, which
 * fetches each lead with `retrieveMetaLead`, and the `leads` stream reconciles whatever was missed.
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
  async complete(ctx, placeholders) {
    const full: EmittedRecord[] = [];
    // One lead at a time: Meta rate-limits per Page token, and a burst of leadgen notices is rarely more than a few.
    for (const placeholder of placeholders) {
      const leadgenId = placeholder.id.startsWith(metaLeadId('')) ? placeholder.id.slice(metaLeadId('').length) : null;
      if (placeholder.kind !== 'lead' || !leadgenId) continue;
      try {
        full.push(emitted('lead', await retrieveMetaLead(ctx, leadgenId)));
      } catch (error) {
        // Gone or unreadable (expired, deleted, a form the token cannot read): the reconcile stream has the last word.
        if (!(error instanceof FatalError) || error.status === 401 || error.status === 403) throw error;
        ctx.log.warn('could not fetch a lead Meta announced; it stays provisional', { leadgenId, reason: error.message });
      }
    }
    return full;
  },
});
