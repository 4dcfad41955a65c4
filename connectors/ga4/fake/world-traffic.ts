import { dateInZone, datesBetween } from '@sourceline/sdk';
import { leadSystemOf, Random, type DemoPractice } from '@sourceline/sdk/testkit';

/** One row of the property's daily traffic, as GA4 would aggregate it. */
export interface TrafficRow {
  date: string;
  source: string;
  medium: string;
  campaign: string;
  sessions: number;
  totalUsers: number;
  newUsers: number;
  engagedSessions: number;
  keyEvents: number;
}

/**
 * The practice website's traffic per day and session source / medium / campaign, consistent with the world: paid
 * campaigns bring about as many sessions as their clicks, Business Profile links, organic search, referrals and
 * direct visits add a seeded baseline, and every website form lead is a key event on its row.
 */
export function buildWorldTraffic(practice: DemoPractice, seed: number): TrafficRow[] {
  const random = new Random(seed, 7000 + practice.index);
  const rows = new Map<string, TrafficRow>();
  const row = (date: string, source: string, medium: string, campaign: string) => {
    const key = `${date}|${source}|${medium}|${campaign}`;
    let existing = rows.get(key);
    if (!existing) {
      existing = { date, source, medium, campaign, sessions: 0, totalUsers: 0, newUsers: 0, engagedSessions: 0, keyEvents: 0 };
      rows.set(key, existing);
    }
    return existing;
  };
  const addSessions = (target: TrafficRow, sessions: number) => {
    target.sessions += sessions;
    target.totalUsers += Math.round(sessions * 0.86);
    target.newUsers += Math.round(sessions * 0.61);
    target.engagedSessions += Math.round(sessions * 0.57);
  };
  for (const s of practice.spend) addSessions(row(s.date, s.source, s.medium, s.campaign), Math.round(s.clicks * 0.9));
  for (const date of datesBetween(practice.startDate, practice.asOf)) {
    addSessions(row(date, 'google', 'organic', '(organic)'), random.int(18, 60));
    addSessions(row(date, 'bing', 'organic', '(organic)'), random.int(0, 6));
    addSessions(row(date, 'google', 'gbp', 'gbp-listing'), random.int(2, 10));
    addSessions(row(date, '(direct)', '(none)', '(direct)'), random.int(12, 40));
    addSessions(row(date, 'zocdoc.com', 'referral', '(referral)'), random.int(0, 3));
  }
  for (const lead of practice.leads) {
    if (leadSystemOf(lead) !== 'gravity-forms') continue;
    const date = dateInZone(new Date(lead.occurredAt), practice.timeZone);
    const [source, medium, campaign] = lead.channel === 'direct' ? ['(direct)', '(none)', '(direct)'] : [lead.source, lead.medium, lead.campaign ?? `(${lead.medium === 'organic' ? 'organic' : 'referral'})`];
    const target = row(date, source, medium, campaign);
    if (target.sessions === 0) addSessions(target, 1);
    target.keyEvents++;
  }
  return [...rows.values()].filter((r) => r.sessions > 0);
}
