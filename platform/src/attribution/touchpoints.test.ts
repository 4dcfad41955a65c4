import { describe, expect, it } from 'vitest';
import { dayNumberOfDate } from './local-day.ts';
import { channelFromReferralSource } from './referral-channel.ts';
import { buildTouchpoints, type LeadTouchInput, type PatientTouchInputs } from './touchpoints.ts';

const firstVisitDay = dayNumberOfDate('2024-06-30');

function lead(id: string, daysBefore: number, fields: Partial<LeadTouchInput> = {}): LeadTouchInput {
  const day = firstVisitDay - daysBefore;
  return { leadId: id, day, at: day * 86_400_000 + 12 * 3_600_000, channel: 'paid-search', campaign: null, adGroup: null, keyword: null, episodeId: null, ...fields };
}

function inputs(fields: Partial<PatientTouchInputs>): PatientTouchInputs {
  return { firstVisitDay, chartCreatedDay: null, lookbackDays: 90, leads: [], referralSources: [], referralChannel: channelFromReferralSource, manual: [], ...fields };
}

const ids = (input: Partial<PatientTouchInputs>) => buildTouchpoints(inputs(input)).map((t) => t.id);

describe("a patient's touchpoints", () => {
  it('keeps touches from the lookback window through the first-visit day, inclusive at both ends', () => {
    expect(ids({ leads: [lead('too-old', 91), lead('oldest', 90), lead('recent', 3), lead('same-day', 0)] })).toEqual(['lead:oldest', 'lead:recent', 'lead:same-day']);
  });

  it('ignores contacts after the first visit: they are the patient calling their dentist, not marketing', () => {
    expect(ids({ leads: [lead('before', 5), lead('after', -1)] })).toEqual(['lead:before']);
  });

  it("honours the practice's own lookback", () => {
    expect(ids({ lookbackDays: 30, leads: [lead('a', 45), lead('b', 30)] })).toEqual(['lead:b']);
  });

  it('counts repeat contacts of one episode once, as its earliest contact in the window', () => {
    const touches = ids({ leads: [lead('call-2', 8, { episodeId: 'E1' }), lead('call-1', 10, { episodeId: 'E1' }), lead('form', 9, { episodeId: 'E2' }), lead('call-3', 7, { episodeId: 'E1' })] });
    expect(touches).toEqual(['lead:call-1', 'lead:form']);
  });

  it("lets an episode's in-window contact stand for it when its first contact is older than the window", () => {
    expect(ids({ leads: [lead('first', 100, { episodeId: 'E1' }), lead('repeat', 85, { episodeId: 'E1' })] })).toEqual(['lead:repeat']);
  });

  it('adds the referral source the practice recorded first, on the day the chart was opened', () => {
    const touches = buildTouchpoints(inputs({
      chartCreatedDay: firstVisitDay - 4,
      leads: [lead('call', 4)],
      referralSources: [{ id: 'R2', sourceName: 'Friend', sourceKind: 'patient', rank: 1 }, { id: 'R1', sourceName: 'Google Ads', sourceKind: 'marketing', rank: 0 }],
    }));
    // Same day: the timed call comes first, the chart (date only) after it.
    expect(touches.map((t) => [t.id, t.channel, t.campaign, t.daysBeforeFirstVisit])).toEqual([
      ['lead:call', 'paid-search', null, 4],
      ['referral-source:R1', 'paid-search', 'Google Ads', 4],
    ]);
  });

  it('places the referral source on the first-visit day when the chart is older than the window', () => {
    const [touch] = buildTouchpoints(inputs({ chartCreatedDay: firstVisitDay - 400, referralSources: [{ id: 'R1', sourceName: 'Dr. Lee', sourceKind: 'doctor', rank: 0 }] }));
    expect(touch).toMatchObject({ id: 'referral-source:R1', channel: 'referral-professional', campaign: null, day: firstVisitDay });
  });

  it('accepts a practice mapping for referral text, and skips a source it maps to nothing', () => {
    const referralSources = [{ id: 'R1', sourceName: 'Billboard I-5', sourceKind: 'marketing' as const, rank: 0 }];
    expect(buildTouchpoints(inputs({ referralSources, referralChannel: () => 'display' }))[0]?.channel).toBe('display');
    expect(buildTouchpoints(inputs({ referralSources, referralChannel: () => null }))).toEqual([]);
  });

  it('adds manual touchpoints under the same window', () => {
    const manual = [{ id: 'M1', day: firstVisitDay - 2, at: null, channel: 'offline-other' as const, campaign: 'Health fair' }, { id: 'M2', day: firstVisitDay + 1, at: null, channel: 'email' as const, campaign: null }];
    expect(ids({ manual })).toEqual(['manual:M1']);
  });

  it('orders ties deterministically, whatever order the inputs arrive in', () => {
    const same = lead('b', 3);
    const twin = { ...lead('a', 3), at: same.at };
    expect(ids({ leads: [same, twin] })).toEqual(['lead:a', 'lead:b']);
    expect(ids({ leads: [twin, same] })).toEqual(['lead:a', 'lead:b']);
  });

  it('leaves a patient with no touch unattributed (no touchpoints)', () => {
    expect(buildTouchpoints(inputs({ leads: [lead('after', -3)] }))).toEqual([]);
  });
});

describe('the default referral-source mapping', () => {
  const map = (sourceName: string, sourceKind: 'marketing' | 'doctor' | 'patient' | 'other' = 'marketing') => channelFromReferralSource({ id: 'R', sourceName, sourceKind, rank: 0 });

  it('reads common "how did you hear about us" answers', () => {
    expect(map('Google Ads')).toBe('paid-search');
    expect(map('Google Maps')).toBe('google-business-profile');
    expect(map('Google')).toBe('organic-search');
    expect(map('Facebook ad')).toBe('paid-social');
    expect(map('Instagram')).toBe('organic-social');
    expect(map('Yelp')).toBe('referral-web');
    expect(map('Drive by')).toBe('direct');
    expect(map('Mailer')).toBe('offline-other');
    expect(map('Dr. Patel', 'doctor')).toBe('referral-professional');
    expect(map('Unknown')).toBeNull();
  });
});
