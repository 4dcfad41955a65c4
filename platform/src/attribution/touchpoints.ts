import type { ReferralSource } from '@sourceline/sdk';
import type { ChannelId } from '../channels/index.ts';
import type { DayNumber } from './local-day.ts';

export type TouchpointOrigin = 'lead' | 'referral-source' | 'manual';

/** One marketing touch on a patient's way to the first visit: what credit is shared among. */
export interface Touchpoint {
  /** Stable and unique within the patient: `lead:<id>`, `referral-source:<id>` or `manual:<id>`. */
  id: string;
  origin: TouchpointOrigin;
  channel: ChannelId;
  campaign: string | null;
  adGroup: string | null;
  keyword: string | null;
  /** The touch's calendar day in the practice's zone. */
  day: DayNumber;
  /** Epoch milliseconds when the source knows the time of day; null for date-only touches. */
  at: number | null;
  /** Whole days from this touch to the first visit (0: the same day). Time decay reads it. */
  daysBeforeFirstVisit: number;
}

/** A linked lead, its time already placed in the practice's zone. */
export interface LeadTouchInput {
  leadId: string;
  day: DayNumber;
  at: number;
  channel: ChannelId;
  campaign: string | null;
  adGroup: string | null;
  keyword: string | null;
  /** The lead's episode (repeat contacts of one person within the practice's window); null: its own episode. */
  episodeId: string | null;
}

export interface ManualTouchInput {
  id: string;
  day: DayNumber;
  at: number | null;
  channel: ChannelId;
  campaign: string | null;
}

export type ReferralSourceInput = Pick<ReferralSource, 'id' | 'sourceName' | 'sourceKind' | 'rank'>;

/** Maps the PMS's free-text "how did you hear about us" to a channel; null leaves the patient without that touch. */
export type ReferralChannelMapper = (source: ReferralSourceInput) => ChannelId | null;

export interface PatientTouchInputs {
  firstVisitDay: DayNumber;
  /** The day the chart was opened, when the PMS knows it. */
  chartCreatedDay: DayNumber | null;
  lookbackDays: number;
  leads: readonly LeadTouchInput[];
  referralSources: readonly ReferralSourceInput[];
  referralChannel: ReferralChannelMapper;
  manual: readonly ManualTouchInput[];
}

const originOrder: Record<TouchpointOrigin, number> = { lead: 0, manual: 1, 'referral-source': 2 };

/**
 * A patient's touchpoints in time order, as acquisition credit sees them:
 * - only touches from `lookbackDays` before the first visit through the first-visit day itself (a call in the morning
 *   can book a visit that afternoon); later contacts are the patient's, not marketing's, and earn nothing;
 * - one touch per lead episode (its earliest contact inside the window), so a caller who rings three times in a week is
 *   one touch, not three;
 * - the PMS referral source the practice recorded first (rank 0), at the chart's creation day, or at the first-visit
 *   day when the chart is older than the window (the patient still told the practice how they heard of it);
 * - manual touchpoints, under the same window.
 * Order is by day; within a day, touches with a time come before date-only ones (a chart is opened when the patient
 * books, after the contact that made them book), then by time, origin and id, so ties never depend on input order.
 * An empty result means the patient is unattributed.
 */
export function buildTouchpoints(inputs: PatientTouchInputs): Touchpoint[] {
  const { firstVisitDay, lookbackDays } = inputs;
  const windowStart = firstVisitDay - lookbackDays;
  const inWindow = (day: DayNumber) => day >= windowStart && day <= firstVisitDay;
  const touchpoints: Touchpoint[] = [];

  for (const lead of inputs.leads) {
    if (!inWindow(lead.day)) continue;
    touchpoints.push({
      id: `lead:${lead.leadId}`, origin: 'lead', channel: lead.channel, campaign: lead.campaign, adGroup: lead.adGroup, keyword: lead.keyword,
      day: lead.day, at: lead.at, daysBeforeFirstVisit: firstVisitDay - lead.day,
    });
  }
  for (const manual of inputs.manual) {
    if (!inWindow(manual.day)) continue;
    touchpoints.push({
      id: `manual:${manual.id}`, origin: 'manual', channel: manual.channel, campaign: manual.campaign, adGroup: null, keyword: null,
      day: manual.day, at: manual.at, daysBeforeFirstVisit: firstVisitDay - manual.day,
    });
  }
  const referral = firstRecordedReferralSource(inputs.referralSources);
  const referralChannel = referral ? inputs.referralChannel(referral) : null;
  if (referral && referralChannel) {
    const chartDay = inputs.chartCreatedDay;
    const day = chartDay !== null && inWindow(chartDay) ? chartDay : firstVisitDay;
    touchpoints.push({
      id: `referral-source:${referral.id}`, origin: 'referral-source', channel: referralChannel,
      // Only a marketing source's name is safe to show as a campaign: a patient referral names a person.
      campaign: referral.sourceKind === 'marketing' ? referral.sourceName : null, adGroup: null, keyword: null,
      day, at: null, daysBeforeFirstVisit: firstVisitDay - day,
    });
  }

  touchpoints.sort(compareTouchpoints);
  return dedupeEpisodes(touchpoints, inputs.leads);
}

export function compareTouchpoints(a: Touchpoint, b: Touchpoint): number {
  if (a.day !== b.day) return a.day - b.day;
  if ((a.at === null) !== (b.at === null)) return a.at === null ? 1 : -1;
  if (a.at !== null && b.at !== null && a.at !== b.at) return a.at - b.at;
  if (a.origin !== b.origin) return originOrder[a.origin] - originOrder[b.origin];
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function firstRecordedReferralSource(sources: readonly ReferralSourceInput[]): ReferralSourceInput | null {
  let first: ReferralSourceInput | null = null;
  for (const source of sources) {
    if (!first || source.rank < first.rank || (source.rank === first.rank && source.id < first.id)) first = source;
  }
  return first;
}

/** Keeps the earliest touch of each lead episode; touches are already in time order. */
function dedupeEpisodes(touchpoints: Touchpoint[], leads: readonly LeadTouchInput[]): Touchpoint[] {
  const episodeOfTouch = new Map<string, string>();
  for (const lead of leads) if (lead.episodeId !== null) episodeOfTouch.set(`lead:${lead.leadId}`, lead.episodeId);
  if (episodeOfTouch.size === 0) return touchpoints;
  const seenEpisodes = new Set<string>();
  return touchpoints.filter((touchpoint) => {
    const episode = episodeOfTouch.get(touchpoint.id);
    if (episode === undefined) return true;
    if (seenEpisodes.has(episode)) return false;
    seenEpisodes.add(episode);
    return true;
  });
}
