import { secret } from '@sourceline/sdk';
import { z } from 'zod';

/** Google Ads customer ids are ten digits; the UI shows them as 123-456-7890, the API wants them bare. */
const CustomerId = z.string().transform((id) => id.replace(/-/g, '')).pipe(z.string().regex(/^\d{10}$/, 'a ten-digit customer id'));

/** What an admin enters under Settings → Integrations → Google Ads (one connection per advertiser account). */
export const googleAdsSettings = z.object({
  apiBaseUrl: z.url().default('https://googleads.googleapis.com'),
  /** The pinned API version: field availability changes between versions (§3). */
  apiVersion: z.string().regex(/^v\d+$/, 'like v21').default('v21'),
  tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
  clientId: z.string().min(1),
  clientSecret: secret(z.string().min(1)),
  /** From the OAuth consent of a user with access to the account (or the agency's manager account). */
  refreshToken: secret(z.string().min(1)),
  /** The agency's API developer token (`developer-token` header). */
  developerToken: secret(z.string().min(1)),
  customerId: CustomerId,
  /** The manager (MCC) account the access goes through, if any (`login-customer-id`). */
  loginCustomerId: CustomerId.nullable().default(null),
  /** The key typed into the lead form asset's webhook settings; Google sends it back as `google_key`. */
  leadFormKey: secret(z.string().min(8)).nullable().default(null),
  /** Lead form "Send test data" submissions are dropped unless this is on. */
  keepTestLeads: z.boolean().default(false),
  /** Days of spend and calls read on the first run (clicks: at most 90, Google's click_view limit). */
  backfillDays: z.number().int().min(1).max(730).default(30),
  /** Days re-read behind the cursor on each run: Google revises recent days (late clicks, invalid-click credits). */
  overlapDays: z.number().int().min(1).max(30).default(3),
  /** The Sourceline-side location the account advertises, if one. */
  locationId: z.string().min(1).nullable().default(null),
});

export type GoogleAdsSettings = z.infer<typeof googleAdsSettings>;
