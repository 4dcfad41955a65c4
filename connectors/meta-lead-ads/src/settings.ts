import { secret } from '@sourceline/sdk';
import { z } from 'zod';

/** What an admin enters under Settings → Integrations → Meta Lead Ads. One connection serves one Facebook Page. */
export const metaLeadAdsSettings = z.object({
  graphBaseUrl: z.url().default('https://graph.facebook.com'),
  /** The pinned Graph API version: field availability changes between versions. */
  graphVersion: z.string().regex(/^v\d+\.\d+$/, 'like v21.0').default('v21.0'),
  /** The Page whose lead forms are read. */
  pageId: z.string().regex(/^\d+$/, 'a numeric Page id'),
  /** A Page access token with leads_retrieval (and ads_management for ad names). */
  pageAccessToken: secret(z.string().min(1)),
  /** The Meta app's secret: every webhook is signed with it (`X-Hub-Signature-256`). */
  appSecret: secret(z.string().min(1)),
  /** The token typed into the app's webhook subscription; Meta echoes it in the subscribe handshake. */
  verifyToken: secret(z.string().min(8)),
  /** Lead forms to reconcile; empty: every form of the Page. */
  formIds: z.array(z.string().regex(/^\d+$/)).default([]),
  /** Leads read on the first reconcile (Meta keeps leads retrievable for about 90 days). */
  backfillDays: z.number().int().min(1).max(90).default(30),
  /** How far each reconcile re-reads behind the newest lead it saw. */
  overlapHours: z.number().int().min(1).max(24 * 7).default(48),
  /** The Sourceline-side location these leads belong to, when the Page serves one location. */
  locationId: z.string().min(1).nullable().default(null),
});

export type MetaLeadAdsSettings = z.infer<typeof metaLeadAdsSettings>;
