import type { ChannelId } from './channel-taxonomy.ts';
import type { NormalizedTouch } from './lead-touch.ts';
import type { ChannelReferenceLists } from './reference-lists.ts';

/** What a rule may consult besides the touch: the reference lists and the practice's tables. */
export interface RuleContext {
  lists: ChannelReferenceLists;
  trackingNumbers: ReadonlyMap<string, ChannelId>;
  ownHosts: ReadonlySet<string>;
  callRailLabels: Readonly<Record<string, ChannelId>>;
}

export interface ChannelRule {
  id: string;
  /** Why a lead got its channel, in words for the "why this channel" panel. */
  description: string;
  classify(touch: NormalizedTouch, context: RuleContext): ChannelId | undefined;
}

const hasAny = (...values: (string | null)[]) => values.some((v) => v !== null);
const inList = (value: string | null, list: readonly string[]) => value !== null && list.includes(value);
const hostIn = (host: string | null, patterns: readonly RegExp[]) => host !== null && patterns.some((p) => p.test(host));
const isSearch = (source: string | null, { lists }: RuleContext) => inList(source, lists.searchSources) || hostIn(source?.replace(/^www\./, '') ?? null, lists.searchHosts);
const isSocial = (source: string | null, { lists }: RuleContext) => inList(source, lists.socialSources) || hostIn(source?.replace(/^www\./, '') ?? null, lists.socialHosts);
const isPaid = (medium: string | null, { lists }: RuleContext) => medium !== null && lists.paidMedium.test(medium);
const label = (touch: NormalizedTouch, context: RuleContext) => (touch.sourceLabel ? context.callRailLabels[touch.sourceLabel.toLowerCase()] : undefined);
const isDomain = (value: string) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value);

/**
 * The default rules of §8.2, R0–R18 in order; the first that returns a channel wins, and `fallbackRule` (R19) takes the rest. R1–R6 read platform-native evidence
 * (tracking numbers, lead-ad origin, click ids), which beats free-text UTMs that staff mistype; R7–R16 follow GA4's
 * own evaluation order.
 */
export const defaultRules: readonly ChannelRule[] = [
  {
    id: 'R0', description: 'Staff recorded a professional or patient referral',
    classify: (t) => (t.referralType ? 'referral-professional' : undefined),
  },
  {
    id: 'R1', description: 'Called a static tracking number mapped to a channel',
    classify: (t, c) => (t.trackingNumber ? c.trackingNumbers.get(t.trackingNumber) : undefined),
  },
  {
    id: 'R2', description: 'Meta lead ad: paid when an ad produced it, organic otherwise',
    classify: (t) => (t.origin === 'meta-lead-ad' ? (t.adId && t.isOrganic !== true ? 'paid-social' : 'organic-social') : undefined),
  },
  {
    id: 'R3', description: 'Google Ads lead form asset (Display for display, video and Demand Gen campaigns)',
    classify: (t, c) => (t.origin === 'google-lead-form' ? (inList(t.adChannelType, c.lists.displayCampaignTypes) ? 'display' : 'paid-search') : undefined),
  },
  {
    id: 'R4', description: 'Tagged as Google Business Profile (source, medium, campaign prefix or CallRail label)',
    classify: (t, c) => (inList(t.source, c.lists.gbpSources) || inList(t.medium, c.lists.gbpMediums) || (t.campaign !== null && c.lists.gbpCampaign.test(t.campaign))
      || label(t, c) === 'google-business-profile' ? 'google-business-profile' : undefined),
  },
  {
    id: 'R5', description: 'Carried a Google click id (gclid, gbraid or wbraid)',
    classify: (t, c) => (hasAny(t.clickIds.gclid, t.clickIds.gbraid, t.clickIds.wbraid) ? (inList(t.adChannelType, ['DISPLAY', 'VIDEO']) ? 'display' : 'paid-search') : undefined),
  },
  { id: 'R6', description: 'Carried a Microsoft Ads click id (msclkid)', classify: (t) => (t.clickIds.msclkid ? 'paid-search' : undefined) },
  {
    id: 'R7', description: 'Source "direct" with no medium',
    classify: (t) => ((t.source === 'direct' || t.source === '(direct)') && t.medium === null ? 'direct' : undefined),
  },
  { id: 'R8', description: 'Campaign name contains "cross-network"', classify: (t) => (t.campaign?.includes('cross-network') ? 'paid-search' : undefined) },
  { id: 'R9', description: 'Display medium (display, banner, cpm, …)', classify: (t, c) => (inList(t.medium, c.lists.displayMediums) ? 'display' : undefined) },
  { id: 'R10', description: 'Search engine source with a paid medium', classify: (t, c) => (isSearch(t.source, c) && isPaid(t.medium, c) ? 'paid-search' : undefined) },
  { id: 'R11', description: 'Social network source with a paid medium', classify: (t, c) => (isSocial(t.source, c) && isPaid(t.medium, c) ? 'paid-social' : undefined) },
  {
    id: 'R12', description: 'TikTok or LinkedIn click id, or a Facebook click id with a paid medium',
    classify: (t, c) => (t.clickIds.ttclid || t.clickIds.liFatId || (t.clickIds.fbclid && isPaid(t.medium, c)) ? 'paid-social' : undefined),
  },
  {
    id: 'R13', description: 'Social network source or medium, or a Facebook click id (also added to organic posts)',
    classify: (t, c) => (isSocial(t.source, c) || inList(t.medium, c.lists.socialMediums) || t.clickIds.fbclid ? 'organic-social' : undefined),
  },
  { id: 'R14', description: 'Search engine source or organic medium', classify: (t, c) => (isSearch(t.source, c) || t.medium === 'organic' ? 'organic-search' : undefined) },
  {
    id: 'R15', description: 'Email, SMS or push medium',
    classify: (t, c) => (inList(t.source, c.lists.emailTokens) || inList(t.medium, c.lists.emailTokens) || t.medium === 'sms' || t.medium?.endsWith('push') ? 'email' : undefined),
  },
  { id: 'R16', description: 'Referral, app, link or affiliate medium', classify: (t) => (inList(t.medium, ['referral', 'app', 'link', 'affiliate']) ? 'referral-web' : undefined) },
  {
    id: 'R17', description: 'No UTMs or click ids: judged by the referring site',
    classify: (t, c) => {
      if (hasAny(t.source, t.medium, t.campaign, ...Object.values(t.clickIds))) return undefined;
      // With neither a referrer nor UTMs, a CallRail label is better evidence than "no referrer means Direct": R18.
      if (t.refHost === null && t.sourceLabel !== null) return undefined;
      if (t.refHost === null || c.ownHosts.has(t.refHost)) return 'direct';
      if (hostIn(t.refHost, c.lists.searchHosts)) return 'organic-search';
      if (hostIn(t.refHost, c.lists.socialHosts)) return 'organic-social';
      return 'referral-web';
    },
  },
  {
    id: 'R18', description: 'CallRail’s channel label',
    classify: (t, c) => label(t, c) ?? (t.sourceLabel && isDomain(t.sourceLabel) ? 'referral-web' : undefined),
  },
];

/** R19: what no rule claims, including a medium no rule knows (GA4's "Unassigned"). */
export const fallbackRule = { id: 'R19', description: 'No rule matched: offline or unknown', channel: 'offline-other' } as const;
