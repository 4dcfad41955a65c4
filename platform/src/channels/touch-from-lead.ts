import type { Lead } from '@sourceline/sdk';
import type { LeadTouch, TouchOrigin } from './lead-touch.ts';

/** Which source systems' own nature is channel evidence (R2, R3) or whose labels R18 reads. */
function originOf(connectorId: string, lead: Pick<Lead, 'id' | 'kind'>): TouchOrigin | null {
  switch (connectorId) {
    case 'meta-lead-ads': return 'meta-lead-ad';
    case 'google-ads': return lead.id.startsWith('gads:leadform:') ? 'google-lead-form' : 'google-ads-call';
    case 'callrail': return lead.kind === 'call' ? 'tracked-call' : 'web-form';
    case 'gravity-forms': return 'web-form';
    default: return null;
  }
}

/** The lead fields the rules read: marketing context only, so a lead can be classified without opening its PHI. */
export type LeadMarketingFields = Pick<
  Lead,
  'id' | 'kind' | 'source' | 'medium' | 'campaign' | 'landingPage' | 'gclid' | 'referrer' | 'clickIds' | 'trackingNumber' | 'sourceLabel' | 'adId'
>;

/**
 * The touch a stored lead presents to the channel rules. `adChannelType` comes from joining the lead's gclid with
 * `ad-click` records (or its campaign id with `ad-campaign`); `referralType` from staff entries in the CRM.
 */
export function touchFromLead(
  lead: LeadMarketingFields,
  context: { connectorId: string; adChannelType?: string | null; referralType?: LeadTouch['referralType'] },
): LeadTouch {
  return {
    origin: originOf(context.connectorId, lead),
    referralType: context.referralType ?? null,
    trackingNumber: lead.trackingNumber ?? null,
    source: lead.source,
    medium: lead.medium,
    campaign: lead.campaign,
    landingPage: lead.landingPage,
    referrer: lead.referrer ?? null,
    gclid: lead.gclid,
    clickIds: lead.clickIds ?? null,
    adId: lead.adId ?? null,
    // A Meta lead's adId is only kept for paid leads (the connector drops it when `is_organic` is true).
    isOrganic: null,
    adChannelType: context.adChannelType ?? null,
    sourceLabel: lead.sourceLabel ?? null,
  };
}
