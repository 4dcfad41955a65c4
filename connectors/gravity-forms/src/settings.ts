import { secret } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * Where each canonical field lives in one form's entries: a field id (`"2"`), an input of a multi-input field
 * (`"1.3"` is the first name of Name field 1) or, for feeds that send "Select Fields", the key the site chose
 * (`"first_name"`). Field ids are assigned per form, so every form has its own map.
 */
export const FieldMap = z
  .object({
    firstName: z.string(),
    lastName: z.string(),
    /** A single-input name field, used when first/last are not mapped or are empty. */
    fullName: z.string(),
    email: z.string(),
    phone: z.string(),
    message: z.string(),
    utmSource: z.string(),
    utmMedium: z.string(),
    utmCampaign: z.string(),
    utmTerm: z.string(),
    utmContent: z.string(),
    gclid: z.string(),
    gbraid: z.string(),
    wbraid: z.string(),
    fbclid: z.string(),
    msclkid: z.string(),
    /** The first page of the visit (a hidden field filled by the site's script); its query string fills missing UTMs. */
    landingPage: z.string(),
    referrer: z.string(),
  })
  .partial();
export type FieldMap = z.infer<typeof FieldMap>;

/** What an admin enters under Settings → Integrations → Gravity Forms. */
export const gravityFormsSettings = z.object({
  /** The WordPress site's address. Entry ids are unique per site only, so lead ids carry its host. */
  siteUrl: z.url(),
  /** Sent by the site in `secretHeader` on every delivery (the Webhooks Add-On has no signing of its own). */
  webhookSecret: secret(z.string().min(16)),
  /** The request header the feed puts the secret in; `Authorization` may carry it as `Bearer <secret>`. */
  secretHeader: z.string().min(1).default('x-sourceline-token'),
  /** Field maps by form id. */
  forms: z.record(z.string().regex(/^\d+$/, 'form ids are numbers'), FieldMap).default({}),
  /** The Sourceline-side location these forms belong to, when the site serves one location. */
  locationId: z.string().min(1).nullable().default(null),
});

export type GravityFormsSettings = z.infer<typeof gravityFormsSettings>;
