import { attributionFromUrl, mergeClickIds, type Lead } from '@sourceline/sdk';
import { entryCreatedAt, fieldText, type Entry } from './entry.ts';
import type { FieldMap } from './settings.ts';

/** `gf:{site_host}:{entry.id}`: entry ids are unique per WordPress site only (two sites both have entry 1842). */
export function gravityFormsLeadId(siteHost: string, entryId: string): string {
  return `gf:${siteHost}:${entryId}`;
}

/**
 * Maps one entry to a Lead with the form's field map. UTMs and click ids come from their hidden fields; when a hidden
 * field is missing or empty, the landing page's query string fills it (the site's script saw the same URL). The
 * entry's `source_url` is the last resort only: it is cut at 200 characters and can be an admin-ajax URL.
 */
export function entryToLead(entry: Entry, map: FieldMap, context: { siteHost: string; locationId: string | null }): Lead {
  const text = (key: keyof FieldMap) => fieldText(entry, map[key]);
  const landingPage = text('landingPage');
  const fromUrl = attributionFromUrl(landingPage ?? entry.source_url);
  const first = text('firstName');
  const last = text('lastName');
  const splitName = [first, last].filter((part): part is string => part !== null).join(' ');
  return {
    id: gravityFormsLeadId(context.siteHost, entry.id),
    occurredAt: entryCreatedAt(entry),
    kind: 'form',
    channel: null,
    source: text('utmSource') ?? fromUrl.source,
    medium: text('utmMedium') ?? fromUrl.medium,
    campaign: text('utmCampaign') ?? fromUrl.campaign,
    adGroup: null,
    keyword: text('utmTerm') ?? fromUrl.term,
    gclid: text('gclid') ?? fromUrl.gclid,
    name: splitName || text('fullName'),
    phone: text('phone'),
    email: text('email'),
    landingPage: landingPage ?? entry.source_url ?? null,
    message: text('message'),
    durationSeconds: null,
    locationId: context.locationId,
    referrer: text('referrer'),
    clickIds: mergeClickIds(fromUrl.clickIds, { gbraid: text('gbraid'), wbraid: text('wbraid'), fbclid: text('fbclid'), msclkid: text('msclkid') }),
    trackingNumber: null,
    sourceLabel: null,
    campaignId: null,
    adId: null,
    isFirstContact: null,
  };
}

