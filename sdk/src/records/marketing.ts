import { z } from 'zod';
import { Cents, IsoDate, IsoDateTime, SourceId } from './common.ts';

export const LeadKind = z.enum(['form', 'call', 'click-to-call', 'chat']);
export type LeadKind = z.infer<typeof LeadKind>;

/** Click identifiers other than `gclid` (which has its own field): each points at an ad network's click. */
export const ClickIds = z
  .object({ gbraid: z.string(), wbraid: z.string(), msclkid: z.string(), fbclid: z.string(), ttclid: z.string(), liFatId: z.string() })
  .partial();
export type ClickIds = z.infer<typeof ClickIds>;

/**
 * Someone reaching out to the practice, with the marketing context the lead source captured.
 *
 * The fields after `locationId` were added for lead-source connectors and channel classification. They are optional
 * so connectors written before them keep validating; a connector that knows a value sets it, one that knows it is
 * absent sets null.
 */
export const Lead = z.object({
  id: SourceId,
  occurredAt: IsoDateTime,
  kind: LeadKind,
  channel: z.string().nullable(),
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  adGroup: z.string().nullable(),
  keyword: z.string().nullable(),
  gclid: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  landingPage: z.string().nullable(),
  message: z.string().nullable(),
  durationSeconds: z.number().int().min(0).nullable(),
  locationId: SourceId.nullable(),
  /** The referring page (URL or host) of the visit behind the lead: the channel rules fall back to it without UTMs. */
  referrer: z.string().nullable().optional(),
  clickIds: ClickIds.nullable().optional(),
  /** The tracking number dialled (E.164): a static number maps straight to a channel. The practice's, not the caller's. */
  trackingNumber: z.string().nullable().optional(),
  /** The lead source's own channel label (CallRail "Google Paid", "Google My Business"): its vocabulary, not ours. */
  sourceLabel: z.string().nullable().optional(),
  /** The ad network's campaign id, for joining with `ad-campaign` records (the name may be unknown at the source). */
  campaignId: z.string().nullable().optional(),
  /** The ad that produced an ad-platform lead form (Meta `ad_id`); null for organic leads of the same form. */
  adId: z.string().nullable().optional(),
  /** The source's first-contact flag (CallRail `first_call`/`first_form`); false marks a repeat caller. Null: unknown. */
  isFirstContact: z.boolean().nullable().optional(),
});
export type Lead = z.infer<typeof Lead>;

/** Ad spend for one campaign (optionally ad group) on one day, in the account's currency. */
export const Spend = z.object({
  id: SourceId,
  date: IsoDate,
  source: z.string().min(1),
  medium: z.string().nullable(),
  campaign: z.string().min(1),
  adGroup: z.string().nullable(),
  costCents: Cents,
  currency: z.string().length(3),
  clicks: z.number().int().min(0).nullable(),
  impressions: z.number().int().min(0).nullable(),
});
export type Spend = z.infer<typeof Spend>;

/** The ad platforms whose campaigns, clicks and metrics have canonical records. */
export const AdNetwork = z.enum(['google-ads', 'meta']);
export type AdNetwork = z.infer<typeof AdNetwork>;

const Count = z.number().int().min(0);

/** An ad campaign as the network names and types it; `channelType` (Google's SEARCH, DISPLAY, …) refines channels. */
export const AdCampaign = z.object({
  id: SourceId,
  network: AdNetwork,
  accountId: z.string().min(1),
  name: z.string().min(1),
  status: z.string().min(1),
  channelType: z.string().nullable(),
});
export type AdCampaign = z.infer<typeof AdCampaign>;

/** An ad group (Meta: ad set) inside a campaign; `campaignId` is the campaign record's id. */
export const AdGroup = z.object({
  id: SourceId,
  network: AdNetwork,
  accountId: z.string().min(1),
  campaignId: SourceId,
  name: z.string().min(1),
  status: z.string().min(1),
});
export type AdGroup = z.infer<typeof AdGroup>;

/** A keyword an ad group bids on. */
export const AdKeyword = z.object({
  id: SourceId,
  network: AdNetwork,
  accountId: z.string().min(1),
  campaignId: SourceId,
  adGroupId: SourceId,
  text: z.string().min(1),
  matchType: z.string().nullable(),
  status: z.string().min(1),
});
export type AdKeyword = z.infer<typeof AdKeyword>;

/**
 * One ad click, from the network's click report: joins a lead's click id (gclid) to the campaign, ad group and keyword
 * behind it. Google's click_view gives the day of the click in the account's zone, not its time.
 */
export const AdClick = z.object({
  id: SourceId,
  network: AdNetwork,
  accountId: z.string().min(1),
  clickId: z.string().min(1),
  clickedOn: IsoDate,
  campaignId: SourceId,
  campaignName: z.string().nullable(),
  adGroupId: SourceId.nullable(),
  adGroupName: z.string().nullable(),
  keyword: z.string().nullable(),
  matchType: z.string().nullable(),
  /** The campaign's advertising channel type (SEARCH, DISPLAY, VIDEO, …) when the report carries it. */
  campaignType: z.string().nullable(),
});
export type AdClick = z.infer<typeof AdClick>;

/**
 * A Google Business Profile listing's daily interaction counts. Aggregates only: who tapped is never known. Counts are
 * null when not requested, and late data replaces earlier counts for the same day.
 */
export const GbpMetric = z.object({
  id: SourceId,
  /** The listing's Business Profile location id (`locations/{id}` without the prefix). */
  locationId: z.string().min(1),
  date: IsoDate,
  callClicks: Count.nullable(),
  websiteClicks: Count.nullable(),
  directionRequests: Count.nullable(),
  bookings: Count.nullable(),
  messagingClicks: Count.nullable(),
  impressionsDesktopMaps: Count.nullable(),
  impressionsDesktopSearch: Count.nullable(),
  impressionsMobileMaps: Count.nullable(),
  impressionsMobileSearch: Count.nullable(),
});
export type GbpMetric = z.infer<typeof GbpMetric>;

/**
 * Google Analytics 4 sessions, users and key events for one day and one session source / medium / campaign, as GA4
 * reports them (`(direct)`, `(none)`, `(not set)` kept verbatim). Aggregates only: GA4 stays outside the PHI boundary.
 */
export const Ga4Metric = z.object({
  id: SourceId,
  propertyId: z.string().min(1),
  date: IsoDate,
  source: z.string(),
  medium: z.string(),
  campaign: z.string(),
  sessions: Count,
  totalUsers: Count,
  newUsers: Count.nullable(),
  engagedSessions: Count.nullable(),
  /** Key events (formerly "conversions"). */
  keyEvents: Count.nullable(),
});
export type Ga4Metric = z.infer<typeof Ga4Metric>;
