import { describe, expect, it } from 'vitest';
import type { ChannelOverridesInput } from './channel-overrides.ts';
import { classifyLead } from './classify-lead.ts';
import type { LeadTouch } from './lead-touch.ts';

const practice: ChannelOverridesInput = {
  trackingNumbers: { '+15550109090': 'google-business-profile', '(555) 010-9100': 'offline-other' },
  ownHosts: ['www.bayside-smiles.example', 'bayside.patientportal.example'],
};
const classify = (touch: LeadTouch, overrides: ChannelOverridesInput = practice) => classifyLead(touch, overrides);

describe('the spec’s worked examples (§8.3)', () => {
  it.each<[string, LeadTouch, string, string]>([
    ['GF entry: utm google / cpc with a gclid', { origin: 'web-form', source: 'google', medium: 'cpc', gclid: 'EAIaIQobChMIfake' }, 'R5', 'paid-search'],
    ['CallRail call to the GBP tracker number', { origin: 'tracked-call', trackingNumber: '+15550109090', sourceLabel: 'Google My Business' }, 'R1', 'google-business-profile'],
    ['GF entry: google / organic / gbp-listing', { origin: 'web-form', source: 'google', medium: 'organic', campaign: 'gbp-listing' }, 'R4', 'google-business-profile'],
    ['GF entry: no UTMs, referrer l.facebook.com, fbclid', { origin: 'web-form', referrer: 'https://l.facebook.com/', clickIds: { fbclid: 'IwAR1' } }, 'R13', 'organic-social'],
    ['GF entry: facebook / paid_social', { origin: 'web-form', source: 'facebook', medium: 'paid_social' }, 'R11', 'paid-social'],
    ['Meta lead webhook with an ad_id', { origin: 'meta-lead-ad', adId: '120000000000055' }, 'R2', 'paid-social'],
    ['GF entry: newsletter / email', { origin: 'web-form', source: 'newsletter', medium: 'email' }, 'R15', 'email'],
    ['CallRail session-tracker call, no UTMs, referrer www.bing.com', { origin: 'tracked-call', referrer: 'www.bing.com', sourceLabel: 'Bing Organic' }, 'R17', 'organic-search'],
    ['CRM: referred by an oral surgeon', { origin: 'crm', referralType: 'specialist' }, 'R0', 'referral-professional'],
    ['GF entry: utm_medium=flyer, nothing else', { origin: 'web-form', medium: 'flyer' }, 'R19', 'offline-other'],
  ])('%s → %s %s', (_, touch, rule, channel) => {
    expect(classify(touch)).toMatchObject({ rule, channel });
  });
});

describe('each default rule, in order', () => {
  it.each<[string, LeadTouch, string, string]>([
    ['R0 beats every click id', { referralType: 'patient-referral', gclid: 'g', source: 'google', medium: 'cpc' }, 'R0', 'referral-professional'],
    ['R1 reads tracking numbers however they are typed', { trackingNumber: '555-010-9100' }, 'R1', 'offline-other'],
    ['R1 ignores numbers not in the table', { trackingNumber: '+15550101234', sourceLabel: 'Google Paid' }, 'R18', 'paid-search'],
    ['R2: a Meta lead without an ad is organic', { origin: 'meta-lead-ad' }, 'R2', 'organic-social'],
    ['R2: an ad id with is_organic true is organic', { origin: 'meta-lead-ad', adId: '1', isOrganic: true }, 'R2', 'organic-social'],
    ['R3: a Google lead form is paid search', { origin: 'google-lead-form', gclid: 'g' }, 'R3', 'paid-search'],
    ['R3: … unless its campaign is Demand Gen', { origin: 'google-lead-form', adChannelType: 'demand_gen' }, 'R3', 'display'],
    ['R4: gmb source', { source: 'GMB', medium: 'referral' }, 'R4', 'google-business-profile'],
    ['R4: gbp medium', { source: 'google', medium: 'gbp', campaign: 'gbp-listing' }, 'R4', 'google-business-profile'],
    ['R4: campaign gmb_posts', { source: 'google', medium: 'organic', campaign: 'gmb_posts' }, 'R4', 'google-business-profile'],
    ['R4: a campaign merely starting with gbp letters is not GBP', { source: 'google', medium: 'organic', campaign: 'gbpromo' }, 'R14', 'organic-search'],
    ['R4: CallRail’s GBP label beats a gclid', { sourceLabel: 'Google Business Profile', gclid: 'g' }, 'R4', 'google-business-profile'],
    ['R5: gbraid alone', { clickIds: { gbraid: 'b' } }, 'R5', 'paid-search'],
    ['R5: a click on a display campaign', { gclid: 'g', adChannelType: 'DISPLAY' }, 'R5', 'display'],
    ['R5: gclid in the landing page only', { landingPage: 'https://x.example/?gclid=abc' }, 'R5', 'paid-search'],
    ['R6: msclkid', { source: 'bing', medium: 'cpc', clickIds: { msclkid: 'm' } }, 'R6', 'paid-search'],
    ['R7: (direct) / (none)', { source: '(direct)', medium: '(none)' }, 'R7', 'direct'],
    ['R8: cross-network campaign', { source: 'google', medium: 'cpc', campaign: 'PMax Cross-Network Implants' }, 'R8', 'paid-search'],
    ['R9: cpm is Display before Paid Search', { source: 'google', medium: 'cpm' }, 'R9', 'display'],
    ['R10: bing ppc', { source: 'bing', medium: 'ppc' }, 'R10', 'paid-search'],
    ['R10: a search host as source', { source: 'www.google.com', medium: 'paidsearch' }, 'R10', 'paid-search'],
    ['R11: instagram paid', { source: 'ig', medium: 'paid' }, 'R11', 'paid-social'],
    ['R12: ttclid', { source: 'partner', clickIds: { ttclid: 't' } }, 'R12', 'paid-social'],
    ['R12: fbclid with a paid medium', { source: 'partner', medium: 'cpc', clickIds: { fbclid: 'f' } }, 'R12', 'paid-social'],
    ['R13: social medium', { source: 'practice-newsletter-share', medium: 'social' }, 'R13', 'organic-social'],
    ['R14: organic medium from anywhere', { source: 'healthgrades', medium: 'organic' }, 'R14', 'organic-search'],
    ['R14: search source without a medium', { source: 'duckduckgo' }, 'R14', 'organic-search'],
    ['R15: sms', { source: 'recall-system', medium: 'SMS' }, 'R15', 'email'],
    ['R15: web push', { source: 'onesignal', medium: 'web_push' }, 'R15', 'email'],
    ['R16: referral medium', { source: 'zocdoc.com', medium: 'referral' }, 'R16', 'referral-web'],
    ['R17: no referrer at all is direct', {}, 'R17', 'direct'],
    ['R17: the practice’s own site is direct', { referrer: 'https://bayside.patientportal.example/login' }, 'R17', 'direct'],
    ['R17: a search engine in another country', { referrer: 'https://www.google.co.uk/' }, 'R17', 'organic-search'],
    ['R17: a directory', { referrer: 'https://www.yelp.com/biz/bayside' }, 'R17', 'referral-web'],
    ['R17: social host', { referrer: 'https://lm.facebook.com/l.php' }, 'R17', 'organic-social'],
    ['R18: a static tracker’s label when nothing else is known', { sourceLabel: 'Google Paid' }, 'R18', 'paid-search'],
    ['R18: a domain as label', { sourceLabel: 'zocdoc.com' }, 'R18', 'referral-web'],
    ['R19: an unknown label', { sourceLabel: 'Billboard I-5' }, 'R19', 'offline-other'],
    ['R19: (not set) everywhere but a medium nobody knows', { source: '(not set)', medium: 'qr' }, 'R19', 'offline-other'],
  ])('%s', (_, touch, rule, channel) => {
    expect(classify(touch)).toMatchObject({ rule, channel });
  });
});

describe('practice overrides', () => {
  const overrides: ChannelOverridesInput = {
    ...practice,
    rules: [
      { id: 'zocdoc', description: 'Zocdoc bookings', when: [{ field: 'referrer', operator: 'contains', value: 'zocdoc' }], channel: 'referral-web', displayName: 'Zocdoc' },
      { id: 'radio-landing', when: [{ field: 'landingPage', operator: 'regex', value: '/radio(-offer)?/?' }], channel: 'offline-other', displayName: 'Radio' },
      { id: 'mistyped-cpc', when: [{ field: 'source', operator: 'equals', value: 'Google' }, { field: 'medium', operator: 'equals', value: 'cpc ' }], channel: 'paid-search' },
    ],
    callRailLabels: { 'billboard i-5': 'offline-other', 'google paid': 'display' },
  };

  it('run before the defaults, name themselves and may rename the channel', () => {
    expect(classifyLead({ referrer: 'https://www.zocdoc.com/dentist/1', gclid: 'g' }, overrides)).toEqual({
      channel: 'referral-web', displayName: 'Zocdoc', rule: 'override:zocdoc', explanation: 'Zocdoc bookings',
    });
    expect(classifyLead({ landingPage: 'https://www.bayside-smiles.example/radio-offer/' }, overrides)).toMatchObject({ rule: 'override:radio-landing', displayName: 'Radio' });
  });

  it('need every condition to hold, compared case-insensitively', () => {
    expect(classifyLead({ source: 'google', medium: 'CPC' }, overrides).rule).toBe('override:mistyped-cpc');
    expect(classifyLead({ source: 'google', medium: 'organic' }, overrides).rule).toBe('R14');
  });

  it('extend and correct CallRail’s label table', () => {
    expect(classifyLead({ sourceLabel: 'Billboard I-5' }, overrides)).toMatchObject({ rule: 'R18', channel: 'offline-other' });
    expect(classifyLead({ sourceLabel: 'Google Paid' }, overrides)).toMatchObject({ rule: 'R18', channel: 'display' });
  });

  it('are validated: bad regexes, unknown channels and duplicate ids are refused', async () => {
    const { ChannelOverrides } = await import('./channel-overrides.ts');
    const rule = { id: 'x', when: [{ field: 'source', operator: 'regex', value: '(' }], channel: 'paid-search' };
    expect(ChannelOverrides.safeParse({ rules: [rule] }).success).toBe(false);
    expect(ChannelOverrides.safeParse({ rules: [{ ...rule, when: [{ field: 'source', operator: 'equals', value: 'a' }], channel: 'tv' }] }).success).toBe(false);
    const ok = { ...rule, when: [{ field: 'source', operator: 'equals', value: 'a' }] };
    expect(ChannelOverrides.safeParse({ rules: [ok, ok] }).success).toBe(false);
    expect(ChannelOverrides.safeParse({ rules: [ok], trackingNumbers: { 'not a number': 'direct' } }).success).toBe(false);
    expect(() => classifyLead({}, { rules: [rule] } as ChannelOverridesInput)).toThrow();
  });
});

describe('classification is a pure function of the stored fields', () => {
  it('gives the same answer every time and ignores case and "(not set)"', () => {
    const touch: LeadTouch = { source: ' Facebook ', medium: 'Paid_Social', campaign: '(not set)' };
    expect(classify(touch)).toEqual(classify({ source: 'facebook', medium: 'paid_social' }));
  });
});
