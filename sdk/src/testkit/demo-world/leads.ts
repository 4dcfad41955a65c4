import { localDateTimeToUtc } from '../../time.ts';
import { addDays, dayNumber, dateOfDay, localStamp } from './dates.ts';
import { femaleFirstNames, lastNames, maleFirstNames } from './name-tables.ts';
import { formatPhoneForLead, gmailDots, nicknameOf, plusTag, typo } from './noise.ts';
import { asciiLetters } from './people.ts';
import type { Random } from './random.ts';
import type { DemoCampaign, DemoLead, DemoLeadNoise, DemoPatient, DemoPractice } from './types.ts';

type LeadKind = DemoLead['kind'];
type Touch = Pick<DemoLead, 'channel' | 'source' | 'medium' | 'campaign' | 'adGroup' | 'keyword' | 'gclid' | 'landingPage'>;

interface LeadsInput {
  rng: Random;
  practice: Pick<DemoPractice, 'index' | 'timeZone' | 'website' | 'areaCodes' | 'startDate' | 'asOf' | 'locations'>;
  patients: readonly DemoPatient[];
  campaigns: readonly DemoCampaign[];
  nonConvertingLeadRatio: number;
}

const leadChannels = new Set(['paid-search', 'paid-social', 'organic-search', 'local', 'insurance-directory']);

/**
 * Leads as lead sources record them: forms, calls, click-to-calls and chats with their marketing context. Most new
 * patients from marketing channels leave one to three leads before their first visit; many leads never become
 * patients; existing patients call too; some leads are spam. Identities carry the noise the matcher must see through.
 */
export function buildLeads(input: LeadsInput): DemoLead[] {
  const { rng, practice, patients, campaigns } = input;
  const leads: Omit<DemoLead, 'id'>[] = [];
  const households = new Map<number, DemoPatient[]>();
  for (const p of patients) {
    const members = households.get(p.householdId);
    if (members) members.push(p);
    else households.set(p.householdId, [p]);
  }
  const phoneOwners = new Set(patients.flatMap((p) => [p.mobilePhone, p.workPhone].filter((n): n is string => n !== null)));
  const lapsed = patients.filter((p) => (p.status === 'Inactive' || p.status === 'Archived') && p.mobilePhone !== null);
  let converting = 0;

  for (const patient of patients) {
    const { acquisition } = patient;
    if (!patient.isNewInWindow || patient.guarantorId !== patient.id || !leadChannels.has(acquisition.channel) || !rng.chance(0.85)) continue;
    const family = (households.get(patient.householdId) ?? []).filter(
      (m) => m.isNewInWindow && Math.abs(dayNumber(m.firstVisitOn) - dayNumber(patient.firstVisitOn)) <= 3,
    );
    const touches = rng.weighted([[1, 65], [2, 25], [3, 10]] as const);
    const bookingDay = dayNumber(patient.createdOn);
    for (let t = 0; t < touches; t++) {
      const touch = t === 0 ? touchFor(rng, acquisition.channel, acquisition.campaignIndex, campaigns, practice.website) : touchFor(rng, rng.pick(['organic-search', 'local', 'direct'] as const), null, campaigns, practice.website);
      const kind = kindFor(rng, touch.channel);
      const day = dateOfDay(bookingDay - (touches - 1 - t) * rng.int(0, 4) - (t === touches - 1 ? 0 : 1));
      const who = family.length > 1 && rng.chance(0.5) ? family : [patient];
      leads.push({ ...touch, ...identityOf(rng, patient, kind, households), ...timing(rng, practice, day, kind), kind, isSpam: false, truePatientIds: who.map((m) => m.id), locationId: patient.locationId || null });
      converting++;
    }
  }

  // Leads that never became patients: same channels, fresh synthetic people, a few calling from recycled numbers.
  const nonConverting = Math.round(converting * input.nonConvertingLeadRatio);
  const windowDays = dayNumber(practice.asOf) - dayNumber(practice.startDate);
  for (let i = 0; i < nonConverting; i++) {
    const campaignIndex = rng.chance(0.55) ? rng.int(0, campaigns.length - 1) : null;
    const channel = campaignIndex !== null ? campaigns[campaignIndex]!.channel : rng.pick(['organic-search', 'local', 'direct'] as const);
    const touch = touchFor(rng, channel, campaignIndex, campaigns, practice.website);
    const kind = kindFor(rng, touch.channel);
    const day = addDays(practice.startDate, rng.int(0, windowDays));
    const recycled = lapsed.length > 0 && rng.chance(0.04) ? rng.pick(lapsed) : undefined;
    const person = strangerIdentity(rng, practice.areaCodes, phoneOwners, kind);
    if (recycled?.mobilePhone) {
      person.phone = formatPhoneForLead(rng, recycled.mobilePhone);
      person.noise.push('recycled-number');
    }
    leads.push({ ...touch, ...person, ...timing(rng, practice, day, kind), kind, isSpam: false, truePatientIds: [], locationId: practice.locations[0]?.id ?? null });
  }

  // Existing patients calling to reschedule or ask a question: they match a patient but are not new-patient leads.
  const callers = Math.round(patients.length * 0.03);
  for (let i = 0; i < callers; i++) {
    const patient = rng.pick(patients);
    if (patient.mobilePhone === null) continue;
    const touch = touchFor(rng, rng.chance(0.6) ? 'local' : 'direct', null, campaigns, practice.website);
    const day = addDays(practice.startDate, rng.int(0, windowDays));
    if (day < patient.firstVisitOn) continue;
    leads.push({ ...touch, ...identityOf(rng, patient, 'call', households), ...timing(rng, practice, day, 'call'), kind: 'call', isSpam: false, truePatientIds: [patient.id], locationId: patient.locationId || null });
  }

  const spam = Math.round(leads.length * 0.08);
  for (let i = 0; i < spam; i++) {
    const kind: LeadKind = rng.chance(0.7) ? 'form' : 'call';
    const touch = touchFor(rng, rng.chance(0.5) ? 'organic-search' : 'direct', null, campaigns, practice.website);
    const day = addDays(practice.startDate, rng.int(0, windowDays));
    leads.push({
      ...touch, ...timing(rng, practice, day, kind), kind, isSpam: true, truePatientIds: [], locationId: null, noise: [],
      name: kind === 'form' ? rng.pick(['SEO Expert', 'Web Design Offer', 'Google Listing Team', 'asdf asdf', 'Crypto Invest']) : null,
      email: kind === 'form' ? `offers${rng.int(100, 999)}@example.net` : null,
      phone: kind === 'call' || rng.chance(0.3) ? formatPhoneForLead(rng, `${rng.pick(['800', '888', '877'])}555${String(rng.int(0, 9999)).padStart(4, '0')}`) : null,
      message: kind === 'form' ? rng.pick(['Rank #1 on Google today!', 'We build websites for dentists', 'Your listing will be suspended', 'test']) : null,
      durationSeconds: kind === 'call' ? rng.int(0, 12) : null,
    });
  }

  leads.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  return leads.map((lead, i) => ({ id: `p${practice.index + 1}-lead-${i + 1}`, ...lead }));
}

function touchFor(rng: Random, channel: string, campaignIndex: number | null, campaigns: readonly DemoCampaign[], website: string): Touch {
  const campaign = campaignIndex !== null ? campaigns[campaignIndex] : undefined;
  if (campaign) {
    const adGroup = rng.pick(campaign.adGroups);
    const keyword = adGroup.keywords.length > 0 ? rng.pick(adGroup.keywords) : null;
    const gclid = campaign.source === 'google' && rng.chance(0.85) ? `Cj0KCQ${rng.alphanumeric(56)}BwE` : null;
    const query = new URLSearchParams({ utm_source: campaign.source, utm_medium: campaign.medium, utm_campaign: campaign.name });
    if (gclid) query.set('gclid', gclid);
    return {
      channel: campaign.channel, source: campaign.source, medium: campaign.medium, campaign: campaign.name, adGroup: adGroup.name,
      keyword, gclid, landingPage: `${campaign.landingPage}?${query}`,
    };
  }
  switch (channel) {
    case 'organic-search':
      return { channel, source: rng.chance(0.88) ? 'google' : 'bing', medium: 'organic', campaign: null, adGroup: null, keyword: null, gclid: null, landingPage: rng.pick([website, `${website}/new-patients`, `${website}/blog/how-much-do-implants-cost`]) };
    case 'local':
      return { channel, source: 'google', medium: 'gbp', campaign: 'gbp-listing', adGroup: null, keyword: null, gclid: null, landingPage: `${website}/?utm_source=google&utm_medium=gbp&utm_campaign=gbp-listing` };
    case 'insurance-directory':
      return { channel: 'referral', source: 'insurance-directory', medium: 'referral', campaign: null, adGroup: null, keyword: null, gclid: null, landingPage: `${website}/insurance` };
    default:
      return { channel: 'direct', source: '(direct)', medium: '(none)', campaign: null, adGroup: null, keyword: null, gclid: null, landingPage: website };
  }
}

function kindFor(rng: Random, channel: string): LeadKind {
  switch (channel) {
    case 'paid-social': return rng.weighted([['form', 75], ['call', 15], ['chat', 10]] as const);
    case 'local': return rng.weighted([['call', 50], ['click-to-call', 25], ['form', 15], ['chat', 10]] as const);
    case 'direct': return rng.weighted([['call', 70], ['form', 30]] as const);
    default: return rng.weighted([['form', 45], ['call', 30], ['click-to-call', 15], ['chat', 10]] as const);
  }
}

function timing(rng: Random, practice: LeadsInput['practice'], day: string, kind: LeadKind): Pick<DemoLead, 'occurredAt' | 'durationSeconds' | 'message'> {
  // Calls come in business hours; forms and chats at any waking hour.
  const minutes = kind === 'call' || kind === 'click-to-call' ? rng.int(8 * 60, 17 * 60) : rng.int(6 * 60, 23 * 60);
  const occurredAt = localDateTimeToUtc(localStamp(day, minutes, rng.int(0, 59)), practice.timeZone);
  const isCall = kind === 'call' || kind === 'click-to-call';
  return {
    occurredAt,
    durationSeconds: isCall ? rng.int(15, 540) : null,
    message: isCall ? null : rng.pick(['I would like to book a new patient appointment.', 'Do you take my insurance?', 'How much is a consultation?', 'I have a toothache, can I come in this week?', 'Looking for a family dentist for my kids.', null]),
  };
}

/** A patient as a lead source would capture them, with realistic noise. */
function identityOf(
  rng: Random, patient: DemoPatient, kind: LeadKind, households: Map<number, DemoPatient[]>,
): Pick<DemoLead, 'name' | 'phone' | 'email' | 'noise'> {
  const noise: DemoLeadNoise[] = [];
  let first = patient.firstName;
  let last = patient.lastName;
  if (patient.preferredName && rng.chance(0.6)) {
    first = patient.preferredName;
    noise.push('preferred-name');
  } else if (rng.chance(0.22)) {
    const nick = nicknameOf(rng, patient.firstName);
    if (nick) {
      first = nick;
      noise.push('nickname');
    }
  }
  if (patient.maidenName && rng.chance(0.4)) {
    last = patient.maidenName;
    noise.push('maiden-name');
  }
  if (rng.chance(0.07)) {
    last = typo(rng, last);
    noise.push('typo');
  }
  let phoneDigits = patient.mobilePhone ?? patient.workPhone;
  const isCall = kind === 'call' || kind === 'click-to-call';
  const household = households.get(patient.householdId) ?? [];
  const guarantor = household.find((m) => m.id === patient.guarantorId);
  if ((phoneDigits === null || (isCall && rng.chance(0.15))) && guarantor && guarantor.id !== patient.id && guarantor.mobilePhone) {
    phoneDigits = guarantor.mobilePhone;
    noise.push('shared-family-phone');
  }
  if (phoneDigits === null && isCall) {
    // They called from a number the practice never recorded (a work line, a new phone).
    phoneDigits = `${patient.mobilePhone?.slice(0, 3) ?? '503'}555${String(rng.int(0, 9999)).padStart(4, '0')}`;
    noise.push('unknown-number');
  }
  let name: string | null = `${first} ${last}`;
  if (isCall) {
    // Caller ID shows the line's account holder, often in carrier style ("SMITH JOHN"), or nothing at all.
    if (guarantor && guarantor.id !== patient.id && rng.chance(0.35)) {
      name = `${guarantor.lastName.toUpperCase()} ${guarantor.firstName.toUpperCase()}`;
      noise.push('caller-id-account-holder');
    } else if (rng.chance(0.2)) {
      name = null;
      noise.push('no-name');
    } else if (rng.chance(0.3)) {
      name = `${last.toUpperCase()} ${first.toUpperCase()}`;
      noise.push('formatting');
    }
  }
  let email: string | null = isCall ? null : patient.email;
  if (email && rng.chance(0.12)) {
    email = `${asciiLetters(first)}${rng.int(1, 999)}@${rng.pick(['gmail.com', 'yahoo.com', 'example.com'])}`;
    noise.push('different-email');
  } else if (email?.endsWith('@gmail.com') && rng.chance(0.2)) {
    email = gmailDots(rng, email);
    noise.push('gmail-dots');
  } else if (email && rng.chance(0.06)) {
    email = plusTag(rng, email);
    noise.push('gmail-plus-tag');
  }
  if (email && rng.chance(0.1)) email = email.toUpperCase();
  return { name, phone: phoneDigits === null ? null : formatPhoneForLead(rng, phoneDigits), email, noise };
}

function strangerIdentity(rng: Random, areaCodes: readonly string[], taken: ReadonlySet<string>, kind: LeadKind): Pick<DemoLead, 'name' | 'phone' | 'email'> & { noise: DemoLeadNoise[] } {
  const first = rng.pick(rng.chance(0.55) ? femaleFirstNames : maleFirstNames).name;
  const last = rng.pick(lastNames);
  const noise: DemoLeadNoise[] = [];
  let digits = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    digits = `${rng.pick(areaCodes)}555${String(rng.int(0, 9999)).padStart(4, '0')}`;
    if (!taken.has(digits)) break;
  }
  // In a very large practice the fictional range runs out: the number then belongs to a patient too, as recycled ones do.
  if (taken.has(digits)) noise.push('recycled-number');
  const isCall = kind === 'call' || kind === 'click-to-call';
  return {
    name: isCall && rng.chance(0.25) ? null : `${first} ${last}`,
    phone: !isCall && rng.chance(0.2) ? null : formatPhoneForLead(rng, digits),
    email: isCall ? null : `${asciiLetters(first)}.${asciiLetters(last)}${rng.int(1, 99)}@${rng.pick(['gmail.com', 'yahoo.com', 'example.com', 'icloud.com'])}`,
    noise,
  };
}
