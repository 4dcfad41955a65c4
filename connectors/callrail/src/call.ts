import { attributionFromUrl, blankToNull, mergeClickIds, LooseBool, LooseId, LooseInt, type Lead } from '@sourceline/sdk';
import { z } from 'zod';

const text = z.string().nullish();

/**
 * A CallRail call object, as the webhooks and REST v3 send it (§2.3). Quirks: `id` is a string in the API and an
 * integer in webhook examples; `duration` an integer in the API and a string in webhooks; attribution fields are ""
 * when unknown. Only what a lead needs is typed; the object keeps everything else.
 */
export const CallRailCall = z.looseObject({
  id: LooseId,
  resource_id: text,
  direction: z.enum(['inbound', 'outbound']).nullish(),
  start_time: z.iso.datetime({ offset: true }).nullish(),
  created_at: z.iso.datetime({ offset: true }).nullish(),
  duration: LooseInt.nullish(),
  answered: LooseBool.nullish(),
  voicemail: LooseBool.nullish(),
  first_call: LooseBool.nullish(),
  customer_phone_number: text,
  customer_name: text,
  tracking_phone_number: text,
  source: text,
  source_name: text,
  formatted_tracking_source: text,
  medium: text,
  campaign: text,
  keywords: text,
  gclid: text,
  fbclid: text,
  msclkid: text,
  landing_page_url: text,
  referring_url: text,
  referrer_domain: text,
  utm_source: text,
  utm_medium: text,
  utm_campaign: text,
  utm_term: text,
  utm_content: text,
});
export type CallRailCall = z.infer<typeof CallRailCall>;

/** `callrail:call:{id}` (§0.3): calls and form submissions share the lead table, so the kind is in the key. */
export function callRailCallLeadId(id: string): string {
  return `callrail:call:${id}`;
}

/**
 * The call's REST v3 id (`CAL…`), the one key the webhooks and the backfill agree on. Webhook bodies carry it as
 * `resource_id`, their `id` being CallRail's legacy integer id, which REST v3 never returns; REST v3 lists the call
 * under `id` and sends no `resource_id`.
 */
export function callRailCallKey(call: Pick<CallRailCall, 'id' | 'resource_id'>): string {
  return blankToNull(call.resource_id) ?? call.id;
}

/** What the payload says about the call's progress: a pre-call event's zero duration is a placeholder, not a fact. */
export type CallStage = 'started' | 'completed';

/**
 * Maps a call to a Lead. UTMs win over CallRail's own source/medium (they are the visitor's URL; CallRail's are its
 * classification); the landing page's query string fills gaps. The caller's number and caller-ID name are the lead's
 * identity; transcripts and recordings are never read.
 */
export function callToLead(call: CallRailCall, context: { stage: CallStage; locationId: string | null }): Lead | undefined {
  const occurredAt = call.start_time ?? call.created_at;
  if (!occurredAt || call.direction === 'outbound') return undefined;
  const fromUrl = attributionFromUrl(call.landing_page_url);
  const clean = (value: string | null | undefined) => blankToNull(value);
  return {
    id: callRailCallLeadId(callRailCallKey(call)),
    occurredAt: new Date(occurredAt).toISOString(),
    kind: 'call',
    channel: null,
    source: clean(call.utm_source) ?? fromUrl.source,
    medium: clean(call.utm_medium) ?? fromUrl.medium ?? clean(call.medium),
    campaign: clean(call.utm_campaign) ?? fromUrl.campaign ?? clean(call.campaign),
    adGroup: null,
    keyword: clean(call.utm_term) ?? fromUrl.term ?? clean(call.keywords),
    gclid: clean(call.gclid) ?? fromUrl.gclid,
    name: clean(call.customer_name),
    phone: clean(call.customer_phone_number),
    email: null,
    landingPage: clean(call.landing_page_url),
    message: null,
    durationSeconds: context.stage === 'completed' ? (call.duration ?? null) : null,
    locationId: context.locationId,
    referrer: clean(call.referring_url) ?? clean(call.referrer_domain),
    clickIds: mergeClickIds(fromUrl.clickIds, { fbclid: call.fbclid, msclkid: call.msclkid }),
    trackingNumber: clean(call.tracking_phone_number),
    sourceLabel: clean(call.formatted_tracking_source) ?? clean(call.source) ?? clean(call.source_name),
    campaignId: null,
    adId: null,
    isFirstContact: call.first_call ?? null,
  };
}

