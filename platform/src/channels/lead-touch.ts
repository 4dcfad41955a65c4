import { attributionFromUrl } from '@sourceline/sdk';
import { z } from 'zod';

/** Where a lead came from when the source system itself is evidence (R2, R3) or its labels are (R18). */
export const TouchOrigin = z.enum(['web-form', 'tracked-call', 'meta-lead-ad', 'google-lead-form', 'google-ads-call', 'crm']);
export type TouchOrigin = z.infer<typeof TouchOrigin>;

const text = z.string().nullish();

/** What the channel rules read about one touch: the raw marketing fields as stored, never identities. */
export const LeadTouch = z.object({
  origin: TouchOrigin.nullish(),
  /** Staff-entered referral type from the CRM/PMS (R0). */
  referralType: z.enum(['physician', 'dentist', 'specialist', 'patient-referral']).nullish(),
  /** The tracking number dialled (R1). */
  trackingNumber: text,
  source: text,
  medium: text,
  campaign: text,
  landingPage: text,
  /** Referrer URL or host. */
  referrer: text,
  gclid: text,
  clickIds: z.object({ gbraid: text, wbraid: text, msclkid: text, fbclid: text, ttclid: text, liFatId: text }).partial().nullish(),
  /** The ad behind an ad-platform lead form; with `isOrganic` (Meta) it tells paid from organic (R2). */
  adId: text,
  isOrganic: z.boolean().nullish(),
  /** Google's advertising_channel_type of the campaign, from the click or campaign join (R3, R5). */
  adChannelType: text,
  /** The lead source's own channel label (CallRail's `formatted_tracking_source`) (R4, R18). */
  sourceLabel: text,
});
export type LeadTouch = z.infer<typeof LeadTouch>;

/** A touch after the §8.2 input normalisation: lower-cased, "(not set)"-style values as null, the referrer's host. */
export interface NormalizedTouch {
  origin: TouchOrigin | null;
  referralType: string | null;
  trackingNumber: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  landingPage: string | null;
  referrer: string | null;
  refHost: string | null;
  clickIds: { gclid: string | null; gbraid: string | null; wbraid: string | null; msclkid: string | null; fbclid: string | null; ttclid: string | null; liFatId: string | null };
  adId: string | null;
  isOrganic: boolean | null;
  adChannelType: string | null;
  sourceLabel: string | null;
}

const emptyValues = new Set(['', '(not set)', '(none)']);

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim().toLowerCase() ?? '';
  return emptyValues.has(trimmed) ? null : trimmed;
}

function present(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** `https://www.Bing.com/search?q=…` or `www.bing.com` → `bing.com`. */
export function referrerHost(referrer: string | null | undefined): string | null {
  const value = referrer?.trim();
  if (!value) return null;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`).hostname.toLowerCase().replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** E.164-ish digits for comparing tracking numbers however they were typed (`(555) 010-9090` = `+15550109090`). */
export function phoneKey(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length === 10) return `1${digits}`;
  return digits.length > 0 ? digits : null;
}

/**
 * Normalises a touch for the rules. UTMs and click ids missing from the fields are read from the landing page's
 * query string, which carries the same values when the source did not parse them.
 */
export function normalizeTouch(touch: LeadTouch): NormalizedTouch {
  const fromUrl = attributionFromUrl(touch.landingPage);
  const ids = touch.clickIds ?? {};
  return {
    origin: touch.origin ?? null,
    referralType: present(touch.referralType),
    trackingNumber: phoneKey(touch.trackingNumber),
    source: clean(touch.source ?? fromUrl.source),
    medium: clean(touch.medium ?? fromUrl.medium),
    campaign: clean(touch.campaign ?? fromUrl.campaign),
    landingPage: present(touch.landingPage),
    referrer: present(touch.referrer),
    refHost: referrerHost(touch.referrer),
    clickIds: {
      gclid: present(touch.gclid) ?? fromUrl.gclid,
      gbraid: present(ids.gbraid) ?? fromUrl.clickIds.gbraid ?? null,
      wbraid: present(ids.wbraid) ?? fromUrl.clickIds.wbraid ?? null,
      msclkid: present(ids.msclkid) ?? fromUrl.clickIds.msclkid ?? null,
      fbclid: present(ids.fbclid) ?? fromUrl.clickIds.fbclid ?? null,
      ttclid: present(ids.ttclid) ?? fromUrl.clickIds.ttclid ?? null,
      liFatId: present(ids.liFatId) ?? fromUrl.clickIds.liFatId ?? null,
    },
    adId: present(touch.adId),
    isOrganic: touch.isOrganic ?? null,
    adChannelType: present(touch.adChannelType)?.toUpperCase() ?? null,
    sourceLabel: present(touch.sourceLabel),
  };
}
