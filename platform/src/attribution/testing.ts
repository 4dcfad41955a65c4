import { ChannelId } from '../channels/index.ts';
import type {
  AttributionLeadInput, AttributionPatientInput, AttributionPaymentInput, AttributionProcedureInput, AttributionReferralSourceInput,
  LeadPatientLink, PracticeAttributionInput,
} from './engine.ts';
import { dayNumberOfDate, isoDateOfDay } from './local-day.ts';
import { seededRandom } from './seeded-random.ts';
import type { Touchpoint } from './touchpoints.ts';

/** A touchpoint for model tests: channel and days before the first visit are what models read. */
export function touchpoint(fields: Partial<Touchpoint> & { channel?: Touchpoint['channel'] } = {}): Touchpoint {
  const day = fields.day ?? dayNumberOfDate('2024-03-01');
  return {
    id: fields.id ?? `lead:${Math.abs(day)}-${fields.channel ?? 'paid-search'}`,
    origin: 'lead', channel: 'paid-search', campaign: null, adGroup: null, keyword: null, day, at: null, daysBeforeFirstVisit: 0,
    ...fields,
  };
}

export function touchpoints(count: number, channels: readonly Touchpoint['channel'][] = ['paid-search', 'organic-search', 'google-business-profile']): Touchpoint[] {
  return Array.from({ length: count }, (_, i) => touchpoint({ id: `lead:${i}`, channel: channels[i % channels.length] as Touchpoint['channel'], daysBeforeFirstVisit: (count - 1 - i) * 3 }));
}

const codes = ['D0150', 'D0120', 'D1110', 'D0274', 'D2391', 'D2740', 'D6010', 'D8090', 'D3330', 'D5110', 'D6240'] as const;
const feeOf: Record<(typeof codes)[number], number> = {
  D0150: 9_500, D0120: 6_500, D1110: 11_000, D0274: 7_500, D2391: 19_000, D2740: 125_000, D6010: 240_000, D8090: 580_000, D3330: 110_000, D5110: 190_000,
  D6240: 115_000,
};

/**
 * A seeded synthetic practice: new patients with linked leads (episodes of repeat contacts, some outside the
 * lookback, some after the first visit), referral sources, procedures and payments over the following year, and
 * leads that never became patients. For tests of invariants and for the benchmark; the demo world feeds the rest.
 */
export function syntheticPractice(options: { patients: number; seed?: number; timeZone?: string; locations?: number; settings?: PracticeAttributionInput['settings'] }): PracticeAttributionInput {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const channels = ChannelId.options;
  const campaigns = ['Implants – Search', 'Invisalign', 'Brand', 'New Patient Special', null];
  const start = dayNumberOfDate('2023-01-01');
  const locations = Array.from({ length: options.locations ?? 2 }, (_, i) => `LOC${i + 1}`);

  const patients: AttributionPatientInput[] = [];
  const leads: AttributionLeadInput[] = [];
  const links: LeadPatientLink[] = [];
  const procedures: AttributionProcedureInput[] = [];
  const payments: AttributionPaymentInput[] = [];
  const referralSources: AttributionReferralSourceInput[] = [];
  const instant = (day: number) => new Date(day * 86_400_000 + Math.floor(random() * 86_400_000)).toISOString();
  // Channels are not equally good at converting, so the Markov model has something to find.
  const weightedChannels = [...channels.slice(0, 4), 'paid-search', 'google-business-profile', 'paid-search'] as const;

  let leadCount = 0;
  const addLead = (day: number, channel: ChannelId, episodeId: string | null, location: string): string => {
    const id = `L${(leadCount += 1)}`;
    leads.push({
      id, occurredAt: instant(day), channel, campaign: pick(campaigns), adGroup: random() < 0.3 ? 'Ad group A' : null, keyword: random() < 0.2 ? 'dental implants' : null,
      locationId: location, episodeId: episodeId ?? id,
    });
    return id;
  };

  for (let p = 0; p < options.patients; p += 1) {
    const id = `P${String(p).padStart(7, '0')}`;
    const location = pick(locations);
    const firstVisit = start + Math.floor(random() * 540);
    const noVisitYet = random() < 0.03;
    patients.push({ id, firstVisitOn: noVisitYet ? null : isoDateOfDay(firstVisit), createdOn: isoDateOfDay(firstVisit - Math.floor(random() * 20)), locationId: location });
    const episodes = Math.floor(random() * 3.2);
    for (let e = 0; e < episodes; e += 1) {
      const day = firstVisit - Math.floor(random() * 130) + (random() < 0.05 ? 10 : 0);
      const channel = pick(random() < 0.6 ? weightedChannels : channels);
      const first = addLead(day, channel, null, location);
      links.push({ leadId: first, patientId: id, confidence: 0.9, method: 'phone' });
      if (random() < 0.3) links.push({ leadId: addLead(day + Math.floor(random() * 5), pick(channels), first, location), patientId: id, confidence: 0.8, method: 'email' });
    }
    if (random() < 0.5) {
      referralSources.push({ id: `R${p}`, patientId: id, sourceName: pick(['Google', 'Friend', 'Dr. Lee', 'Mailer', 'Facebook', 'Unknown']), sourceKind: pick(['marketing', 'patient', 'doctor', 'other']), rank: 0 });
    }
    const visits = 1 + Math.floor(random() * 5);
    for (let v = 0; v < visits; v += 1) {
      const day = v === 0 ? firstVisit : firstVisit + Math.floor(random() * 450);
      for (let k = 0; k < 1 + Math.floor(random() * 3); k += 1) {
        const code = pick(codes);
        procedures.push({ id: `${id}-X${v}-${k}`, patientId: id, status: random() < 0.9 ? 'completed' : 'planned', performedOn: isoDateOfDay(day), code, feeCents: feeOf[code] });
      }
      payments.push({ id: `${id}-PAY${v}`, patientId: id, amountCents: Math.floor(random() * 150_000) - (random() < 0.03 ? 160_000 : 0), paidOn: isoDateOfDay(day + Math.floor(random() * 20)) });
    }
  }
  // Leads that never became patients: twice as many journeys, with the weaker channels over-represented.
  for (let n = 0; n < options.patients * 2; n += 1) {
    const first = addLead(start + Math.floor(random() * 540), pick(channels), null, pick(locations));
    if (random() < 0.2) addLead(start + Math.floor(random() * 540), pick(channels), first, pick(locations));
  }
  return {
    timeZone: options.timeZone ?? 'America/New_York',
    settings: options.settings ?? {},
    patients, leads, links, procedures, payments, referralSources,
  };
}
