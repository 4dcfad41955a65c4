import { createHash } from 'node:crypto';
import { zoneOffsetMs } from '@sourceline/sdk';
import { leadSystemOf, stableBucket, type DemoLead, type DemoPractice } from '@sourceline/sdk/testkit';

/** A demo lead as CallRail recorded it: the full call object (API field names and types) and when it started. */
export interface WorldCall {
  lead: DemoLead;
  startMs: number;
  /** The REST v3 call object with every field (the fake strips what `fields=` did not ask for). */
  call: Record<string, unknown>;
}

/** The company's trackers: which number a caller dialled decides what CallRail knows about them. */
interface Tracker {
  id: string;
  name: string;
  source: string;
  formattedSource: string;
  medium: string;
  /** A session tracker (website number pool) carries the visit's UTMs and click ids; a source tracker only its label. */
  session: boolean;
  numberSuffix: string;
}

const trackers = {
  gbp: { id: 'TRK0000000000000000000000000000gbp1', name: 'Google Business Profile', source: 'Google My Business', formattedSource: 'Google My Business', medium: 'organic', session: false, numberSuffix: '0909' },
  mainLine: { id: 'TRK000000000000000000000000000main1', name: 'Main Line', source: 'Direct', formattedSource: 'Direct', medium: '', session: false, numberSuffix: '0100' },
  websitePool: { id: 'TRK0000000000000000000000000000web1', name: 'Website Pool', source: '', formattedSource: '', medium: '', session: true, numberSuffix: '091' },
} satisfies Record<string, Tracker>;

function trackerFor(lead: DemoLead): Tracker {
  if (lead.channel === 'local') return trackers.gbp;
  if (lead.channel === 'direct') return trackers.mainLine;
  return trackers.websitePool;
}

/** What CallRail's swap script calls the visit's source, for session-tracker calls. */
function sessionLabel(lead: DemoLead): { source: string; formatted: string; referrer: string } {
  switch (lead.channel) {
    case 'paid-search': return { source: 'Google Ads', formatted: 'Google Paid', referrer: 'https://www.google.com/' };
    case 'paid-social': return { source: 'Facebook Paid', formatted: 'Facebook Paid', referrer: 'https://l.facebook.com/' };
    case 'organic-search': return lead.source === 'bing'
      ? { source: 'Bing Organic', formatted: 'Bing Organic', referrer: 'https://www.bing.com/' }
      : { source: 'Google Organic', formatted: 'Google Organic', referrer: 'https://www.google.com/' };
    default: return { source: 'Referral', formatted: 'zocdoc.com', referrer: 'https://www.zocdoc.com/' };
  }
}

/** `2025-03-14T10:22:05.114-05:00`: CallRail writes times in the company's zone with its offset. */
export function isoWithOffset(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMs(epochMs, timeZone);
  const local = new Date(epochMs + offset).toISOString().slice(0, 23);
  const minutes = Math.abs(offset) / 60_000;
  return `${local}${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function e164(phone: string | null): string {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length === 10 ? `+1${digits}` : digits.length === 11 && digits.startsWith('1') ? `+${digits}` : digits ? `+${digits}` : '';
}

export function callIdOf(leadId: string): string {
  return `CAL${createHash('sha1').update(leadId).digest('hex').slice(0, 32)}`;
}

/**
 * The practice's calls as CallRail holds them: every demo lead routed to CallRail, with its tracker's number, the
 * session data a pool number carries, the caller's history (first_call, prior_calls) and an answered/voicemail/missed
 * outcome. Time ordered.
 */
export function buildWorldCalls(practice: DemoPractice, company: { id: string; name: string }): WorldCall[] {
  const area = practice.areaCodes[0] ?? '555';
  const business = `+1${practice.locations[0]?.phone ?? `${area}5550100`}`;
  const leads = practice.leads.filter((lead) => leadSystemOf(lead) === 'callrail').sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const callsByNumber = new Map<string, number>();
  return leads.map((lead) => {
    const startMs = Date.parse(lead.occurredAt);
    const tracker = trackerFor(lead);
    const customer = e164(lead.phone);
    const prior = customer ? (callsByNumber.get(customer) ?? 0) : 0;
    if (customer) callsByNumber.set(customer, prior + 1);
    const duration = lead.durationSeconds ?? 0;
    const answered = duration >= 30 && stableBucket(lead.id, 5) !== 0;
    const landing = tracker.session ? (lead.landingPage ?? '') : '';
    const utm = (name: string) => (landing ? (new URL(landing).searchParams.get(name) ?? '') : '');
    const label = tracker.session ? sessionLabel(lead) : { source: tracker.source, formatted: tracker.formattedSource, referrer: '' };
    const start = isoWithOffset(startMs, practice.timeZone);
    const callId = callIdOf(lead.id);
    return {
      lead,
      startMs,
      call: {
        id: callId, answered, voicemail: !answered && duration >= 15, direction: 'inbound', duration, start_time: start, created_at: start,
        customer_phone_number: customer, customer_name: lead.name ?? '', customer_city: '', customer_state: '', customer_country: 'US',
        tracking_phone_number: `+1${area}555${tracker.numberSuffix}${tracker.session ? stableBucket(lead.id, 8) : ''}`,
        business_phone_number: business, recording: `https://app.callrail.example/calls/${callId}/recording/redirect?access_key=FAKEKEY`,
        recording_duration: answered ? Math.max(0, duration - 5) : 0, recording_player: `https://app.callrail.example/calls/${callId}/recording`,
        agent_email: '', call_type: answered ? 'inbound' : duration >= 15 ? 'voicemail' : 'missed', company_id: company.id, company_name: company.name,
        company_time_zone: practice.timeZone, device_type: 'mobile', first_call: prior === 0, prior_calls: prior, total_calls: prior + 1,
        source: label.source, source_name: tracker.name, formatted_tracking_source: label.formatted, medium: tracker.session ? utm('utm_medium') : tracker.medium,
        campaign: tracker.session ? utm('utm_campaign') : '', keywords: tracker.session ? (lead.keyword ?? '') : '',
        gclid: tracker.session ? (lead.gclid ?? '') : '', fbclid: '', msclkid: '', ga: '', landing_page_url: landing, last_requested_url: landing,
        referring_url: label.referrer, referrer_domain: label.referrer ? new URL(label.referrer).host : '', utm_source: utm('utm_source'),
        utm_medium: utm('utm_medium'), utm_campaign: utm('utm_campaign'), utm_term: tracker.session ? (lead.keyword ?? '') : '', utm_content: '',
        lead_status: null, value: '', tags: [], note: '', tracker_id: tracker.id, person_id: `PER${callId.slice(3, 35)}`, milestones: {},
        timeline_url: `https://app.callrail.example/calls/${callId}/timeline`,
      },
    };
  });
}
