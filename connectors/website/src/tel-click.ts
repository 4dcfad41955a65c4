import { defineWebhook, emitted, type Lead, type ParseIssue, type ParseResult } from '@sourceline/sdk';
import { z } from 'zod';
import type { WebsiteSettings } from './settings.ts';

const Touch = z
  .object({
    utm_source: z.string().optional(),
    utm_medium: z.string().optional(),
    utm_campaign: z.string().optional(),
    utm_term: z.string().optional(),
    gclid: z.string().optional(),
    gbraid: z.string().optional(),
    wbraid: z.string().optional(),
    referrer: z.string().optional(),
    landing_page: z.string().optional(),
  })
  .nullable();

/** What `s.js` sends when a visitor taps a `tel:` link. */
export const TelClickEvent = z.object({
  type: z.literal('tel_click'),
  id: z.string().min(8).max(64),
  ts: z.iso.datetime({ offset: true }),
  tel: z.string().max(40),
  page: z.string().max(1000),
  first: Touch.optional(),
  last: Touch.optional(),
});

const blank = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

/** The number on the link, as E.164 when it is a North American number (the practice's own line). */
function trackingNumberOf(tel: string): string | null {
  const digits = tel.replace(/[^\d]/g, '');
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits.length >= 7 ? `+${digits}` : null;
}

/**
 * A tap is a lead with marketing context and no identity: the number on the link is the practice's own, so `phone`
 * stays empty. The matcher links it to a patient by timing (a call or chart soon after), never by the number tapped.
 */
export function telClickToLead(event: z.infer<typeof TelClickEvent>): Lead {
  const touch = event.last ?? event.first ?? null;
  const gclid = blank(touch?.gclid);
  const gbraid = blank(touch?.gbraid);
  const wbraid = blank(touch?.wbraid);
  const googleClick = Boolean(gclid ?? gbraid ?? wbraid);
  return {
    id: `web:tel:${event.id}`,
    occurredAt: new Date(event.ts).toISOString(),
    kind: 'click-to-call',
    channel: null,
    source: blank(touch?.utm_source) ?? (googleClick ? 'google' : null),
    medium: blank(touch?.utm_medium) ?? (googleClick ? 'cpc' : null),
    campaign: blank(touch?.utm_campaign),
    adGroup: null,
    keyword: blank(touch?.utm_term),
    gclid,
    name: null,
    phone: null,
    email: null,
    landingPage: blank(touch?.landing_page) ?? event.page,
    message: null,
    durationSeconds: null,
    locationId: null,
    referrer: blank(touch?.referrer),
    clickIds: gbraid || wbraid ? { ...(gbraid ? { gbraid } : {}), ...(wbraid ? { wbraid } : {}) } : null,
    trackingNumber: trackingNumberOf(event.tel),
    sourceLabel: null,
    campaignId: null,
    adId: null,
    isFirstContact: null,
  };
}

export function parseTelClick(body: string): ParseResult {
  const issues: ParseIssue[] = [];
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { records: [], issues: [{ record: 'payload', field: '(body)', message: 'not JSON' }] };
  }
  const parsed = TelClickEvent.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push({ record: 'tel_click', field: issue.path.join('.') || '(event)', message: issue.message });
    return { records: [], issues };
  }
  return { records: [emitted('lead', telClickToLead(parsed.data))], issues };
}

export const telClickWebhook = defineWebhook<WebsiteSettings>({
  name: 'collect',
  description: 'Taps on tel: links reported by s.js from the practice’s site.',
  emits: ['lead'],
  // No signature is possible from a public page: the origin the browser attaches is the check.
  verify: (request, settings) => {
    const origin = request.headers.origin ?? request.headers.referer ?? '';
    try {
      return settings.allowedOrigins.includes(new URL(origin).origin);
    } catch {
      return false;
    }
  },
  parse: (payload) => parseTelClick(payload.body),
});
