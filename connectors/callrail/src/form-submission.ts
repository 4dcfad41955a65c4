import { attributionFromUrl, blankToNull, mergeClickIds, LooseBool, LooseId, type Lead } from '@sourceline/sdk';
import { z } from 'zod';

const text = z.string().nullish();

/** A CallRail Form Tracking submission (§2.4): `form_data` is keyed by the site's own form field names. */
export const CallRailFormSubmission = z.looseObject({
  id: LooseId,
  submitted_at: z.iso.datetime({ offset: true }),
  form_data: z.record(z.string(), z.unknown()).nullish(),
  form_url: text,
  landing_page_url: text,
  referrer: text,
  referring_url: text,
  first_form: LooseBool.nullish(),
  source: text,
  keywords: text,
  campaign: text,
  medium: text,
  utm_source: text,
  utm_medium: text,
  utm_campaign: text,
  gclid: text,
  fbclid: text,
  msclkid: text,
});
export type CallRailFormSubmission = z.infer<typeof CallRailFormSubmission>;

export function callRailFormLeadId(id: string): string {
  return `callrail:form:${id}`;
}

/** Site form field names vary; these are the ones sites commonly use for identity and the message. */
const fieldNames = {
  name: ['name', 'full_name', 'fullname', 'your-name', 'your_name'],
  firstName: ['first_name', 'firstname', 'fname'],
  lastName: ['last_name', 'lastname', 'lname'],
  email: ['email', 'email_address', 'your-email', 'your_email'],
  phone: ['phone', 'phone_number', 'telephone', 'tel', 'your-phone', 'mobile'],
  message: ['message', 'comments', 'comment', 'your-message', 'questions'],
} as const;

function formValue(data: Record<string, unknown>, names: readonly string[]): string | null {
  for (const [key, value] of Object.entries(data)) {
    if (!names.includes(key.toLowerCase())) continue;
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (typeof value === 'number') return String(value);
  }
  return null;
}

export function formSubmissionToLead(form: CallRailFormSubmission, context: { locationId: string | null }): Lead {
  const data = form.form_data ?? {};
  const fromUrl = attributionFromUrl(form.landing_page_url ?? form.form_url);
  const clean = (value: string | null | undefined) => blankToNull(value);
  const splitName = [formValue(data, fieldNames.firstName), formValue(data, fieldNames.lastName)].filter(Boolean).join(' ');
  return {
    id: callRailFormLeadId(form.id),
    occurredAt: new Date(form.submitted_at).toISOString(),
    kind: 'form',
    channel: null,
    source: clean(form.utm_source) ?? fromUrl.source,
    medium: clean(form.utm_medium) ?? fromUrl.medium ?? clean(form.medium),
    campaign: clean(form.utm_campaign) ?? fromUrl.campaign ?? clean(form.campaign),
    adGroup: null,
    keyword: fromUrl.term ?? clean(form.keywords),
    gclid: clean(form.gclid) ?? fromUrl.gclid,
    name: splitName || formValue(data, fieldNames.name),
    phone: formValue(data, fieldNames.phone),
    email: formValue(data, fieldNames.email),
    landingPage: clean(form.landing_page_url) ?? clean(form.form_url),
    message: formValue(data, fieldNames.message),
    durationSeconds: null,
    locationId: context.locationId,
    referrer: clean(form.referring_url) ?? clean(form.referrer),
    clickIds: mergeClickIds(fromUrl.clickIds, { fbclid: form.fbclid, msclkid: form.msclkid }),
    trackingNumber: null,
    sourceLabel: clean(form.source),
    campaignId: null,
    adId: null,
    isFirstContact: form.first_form ?? null,
  };
}
