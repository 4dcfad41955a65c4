import { defineConnector } from '@sourceline/sdk';
import { MetaGraphClient } from './graph-api.ts';
import { leadgenWebhook } from './leadgen-webhook.ts';
import { leadsStream } from './leads-stream.ts';
import { metaLeadAdsSettings } from './settings.ts';

/**
 * Meta (Facebook and Instagram) Lead Ads for one Page: the signed `leadgen` webhook announces a lead by id, the Graph
 * API gives its answers, and a daily reconcile reads every form's recent leads.
 */
const metaLeadAds = defineConnector({
  id: 'meta-lead-ads',
  kind: 'lead-source',
  displayName: 'Meta Lead Ads',
  description: 'Facebook and Instagram instant-form leads with their campaign, ad set and ad.',
  settings: metaLeadAdsSettings,
  streams: [leadsStream],
  webhooks: [leadgenWebhook],
  async testConnection({ settings, http }) {
    const name = await new MetaGraphClient(http, settings).pageName();
    return `Connected: Facebook Page "${name}" (${settings.pageId}).`;
  },
});

export default metaLeadAds;
export { metaLeadAds };
export { metaLeadAdsSettings, type MetaLeadAdsSettings } from './settings.ts';
export { answerSubscribeChallenge, type ChallengeAnswer } from './subscribe-challenge.ts';
export { verifyMetaSignature, signMetaBody } from './signature.ts';
export { retrieveMetaLead } from './retrieve-lead.ts';
export { leadgenNoticesOf, type LeadgenNotice } from './leadgen-notification.ts';
export { metaLeadId, graphTimeToIso } from './graph-lead.ts';
