import { createHash } from 'node:crypto';
import { epochMsToLocalDateTime } from '@sourceline/sdk';
import { leadSystemOf, stableBucket, type DemoPractice } from '@sourceline/sdk/testkit';

/** A demo practice's Google Ads account as the API would report it. Ids are int64s written as strings. */
export interface FakeAdsAccount {
  customer: { id: string; descriptiveName: string; timeZone: string; currencyCode: string };
  campaigns: { id: string; name: string; status: string; advertisingChannelType: string }[];
  adGroups: { id: string; campaignId: string; name: string; status: string }[];
  keywords: { criterionId: string; adGroupId: string; campaignId: string; text: string; matchType: string; status: string }[];
  /** Campaign × day metrics; cost in micros as Google sends it. */
  campaignDays: { campaignId: string; date: string; costMicros: string; clicks: number; impressions: number }[];
  clicks: { gclid: string; date: string; campaignId: string; adGroupId: string; keyword: string | null; matchType: string | null; demoLeadId: string | null }[];
  calls: {
    callDetailId: string; start: string; end: string; durationSeconds: number; status: 'RECEIVED' | 'MISSED'; location: 'AD' | 'LANDING_PAGE';
    areaCode: string | null; type: string; campaignId: string; adGroupId: string; demoLeadId: string;
  }[];
  /** What offline conversions can be reported to: one of each kind an upload must tell apart. */
  conversionActions: FakeConversionAction[];
}

export interface FakeConversionAction {
  id: string;
  name: string;
  /** UPLOAD_CLICKS accepts offline click conversions; WEBPAGE (a site tag's) does not. */
  type: 'UPLOAD_CLICKS' | 'WEBPAGE';
  status: 'ENABLED' | 'REMOVED';
  /** EXTERNAL takes the uploader's credit (and refuses order ids); the others are Google's own models. */
  attributionModel: 'EXTERNAL' | 'GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN' | 'GOOGLE_ADS_LAST_CLICK';
  clickThroughLookbackWindowDays: number;
}

/** The account's conversion actions: an externally attributed upload, a Google-attributed upload and a site tag. */
function fakeConversionActions(practiceIndex: number): FakeConversionAction[] {
  const id = (n: number) => String(700_000_000 + practiceIndex * 10 + n);
  return [
    { id: id(1), name: 'New patient – first visit', type: 'UPLOAD_CLICKS', status: 'ENABLED', attributionModel: 'EXTERNAL', clickThroughLookbackWindowDays: 90 },
    { id: id(2), name: 'New patient (Google attribution)', type: 'UPLOAD_CLICKS', status: 'ENABLED', attributionModel: 'GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN', clickThroughLookbackWindowDays: 90 },
    { id: id(3), name: 'Website booking', type: 'WEBPAGE', status: 'ENABLED', attributionModel: 'GOOGLE_ADS_LAST_CLICK', clickThroughLookbackWindowDays: 30 },
  ];
}

function matchTypeOf(keyword: string): { text: string; matchType: string } {
  if (keyword.startsWith('[') && keyword.endsWith(']')) return { text: keyword.slice(1, -1), matchType: 'EXACT' };
  if (keyword.includes('+')) return { text: keyword.replace(/\+/g, ''), matchType: 'BROAD' };
  return { text: keyword, matchType: 'PHRASE' };
}

function syntheticGclid(seed: string): string {
  return `Cj0KCQjw${createHash('sha256').update(seed).digest('base64url').slice(0, 48)}BwE`;
}

/**
 * Builds the account from the demo world: its Google campaigns, ad groups and keywords; daily cost per campaign from
 * the world's spend (with sub-cent micros, so the connector's rounding is exercised); one click_view row per gclid a
 * lead carried plus anonymous clicks up to the day's click count; and call_view rows for the leads that called a
 * Google forwarding number.
 */
export function buildFakeAdsAccount(practice: DemoPractice): FakeAdsAccount {
  const customerId = String(1_234_500_000 + practice.index);
  const base = 20_000_000_000 + practice.index * 1_000_000;
  const google = practice.campaigns.map((c, i) => ({ c, i })).filter(({ c }) => c.source === 'google');
  const campaigns = google.map(({ c, i }) => ({ id: String(base + i), name: c.name, status: 'ENABLED', advertisingChannelType: 'SEARCH' }));
  const campaignIdByName = new Map(campaigns.map((c) => [c.name, c.id]));
  const adGroups = google.flatMap(({ c, i }) => c.adGroups.map((g, j) => ({ id: String(150_000_000_000 + practice.index * 1_000_000 + i * 100 + j), campaignId: String(base + i), name: g.name, status: 'ENABLED' })));
  const adGroupId = (campaignName: string | null, adGroupName: string | null) =>
    adGroups.find((g) => g.campaignId === campaignIdByName.get(campaignName ?? '') && g.name === adGroupName)?.id
    ?? adGroups.find((g) => g.campaignId === campaignIdByName.get(campaignName ?? ''))!.id;
  const keywords = google.flatMap(({ c, i }) => c.adGroups.flatMap((g, j) => g.keywords.map((k, n) => ({
    criterionId: String(300_000_000 + n), adGroupId: String(150_000_000_000 + practice.index * 1_000_000 + i * 100 + j), campaignId: String(base + i),
    ...matchTypeOf(k), status: 'ENABLED',
  }))));

  const dayTotals = new Map<string, { campaignId: string; date: string; cents: number; clicks: number; impressions: number }>();
  for (const s of practice.spend) {
    const campaignId = campaignIdByName.get(s.campaign);
    if (!campaignId) continue;
    const key = `${campaignId}:${s.date}`;
    const total = dayTotals.get(key) ?? { campaignId, date: s.date, cents: 0, clicks: 0, impressions: 0 };
    total.cents += s.costCents;
    total.clicks += s.clicks;
    total.impressions += s.impressions;
    dayTotals.set(key, total);
  }
  // Up to ±4,999 micros of noise: Google's micros are finer than cents, and they round back to the world's cents.
  const campaignDays = [...dayTotals.values()].map((t) => ({
    campaignId: t.campaignId, date: t.date, clicks: t.clicks, impressions: t.impressions,
    costMicros: String(t.cents * 10_000 + (t.cents > 0 ? stableBucket(`${t.campaignId}:${t.date}`, 9_999) - 4_999 : 0)),
  }));

  const localDate = (iso: string) => epochMsToLocalDateTime(Date.parse(iso), practice.timeZone).slice(0, 10);
  const leadClicks = practice.leads.filter((l) => l.gclid && campaignIdByName.has(l.campaign ?? '')).map((l) => {
    const keyword = l.keyword ? matchTypeOf(l.keyword) : null;
    return {
      gclid: l.gclid!, date: localDate(l.occurredAt), campaignId: campaignIdByName.get(l.campaign!)!, adGroupId: adGroupId(l.campaign, l.adGroup),
      keyword: keyword?.text ?? null, matchType: keyword?.matchType ?? null, demoLeadId: l.id,
    };
  });
  const leadClicksPerDay = new Map<string, number>();
  for (const c of leadClicks) leadClicksPerDay.set(`${c.campaignId}:${c.date}`, (leadClicksPerDay.get(`${c.campaignId}:${c.date}`) ?? 0) + 1);
  const anonymousClicks = campaignDays.flatMap((d) => {
    const count = Math.max(0, d.clicks - (leadClicksPerDay.get(`${d.campaignId}:${d.date}`) ?? 0));
    const groups = adGroups.filter((g) => g.campaignId === d.campaignId);
    return Array.from({ length: count }, (_, n) => {
      const group = groups[n % groups.length]!;
      const keyword = keywords.find((k) => k.adGroupId === group.id);
      return { gclid: syntheticGclid(`${d.campaignId}:${d.date}:${n}`), date: d.date, campaignId: d.campaignId, adGroupId: group.id, keyword: keyword?.text ?? null, matchType: keyword?.matchType ?? null, demoLeadId: null };
    });
  });

  const calls = practice.leads.filter((l) => leadSystemOf(l) === 'google-ads-call').map((l) => {
    const missed = stableBucket(l.id, 7) === 0;
    const durationSeconds = missed ? 0 : (l.durationSeconds ?? 60);
    const startMs = Date.parse(l.occurredAt);
    const location = stableBucket(l.id, 4) === 0 ? 'LANDING_PAGE' as const : 'AD' as const;
    const digits = (l.phone ?? '').replace(/\D/g, '').slice(-10);
    return {
      callDetailId: String(BigInt(`0x${createHash('sha1').update(l.id).digest('hex').slice(0, 15)}`)),
      start: epochMsToLocalDateTime(startMs, practice.timeZone), end: epochMsToLocalDateTime(startMs + durationSeconds * 1000, practice.timeZone),
      durationSeconds, status: missed ? ('MISSED' as const) : ('RECEIVED' as const), location,
      // Google reports the caller's area code only, and not at all for calls under 15 seconds.
      areaCode: durationSeconds >= 15 && digits.length === 10 ? digits.slice(0, 3) : null,
      type: location === 'AD' ? 'HIGH_END_MOBILE_SEARCH' : 'MANUALLY_DIALED',
      campaignId: campaignIdByName.get(l.campaign ?? '') ?? campaigns[0]!.id, adGroupId: adGroupId(l.campaign, l.adGroup), demoLeadId: l.id,
    };
  });

  return {
    customer: { id: customerId, descriptiveName: practice.name, timeZone: practice.timeZone, currencyCode: 'USD' },
    campaigns, adGroups, keywords, campaignDays, clicks: [...leadClicks, ...anonymousClicks], calls, conversionActions: fakeConversionActions(practice.index),
  };
}
