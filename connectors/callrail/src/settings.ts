import { secret } from '@sourceline/sdk';
import { z } from 'zod';

/** What an admin enters under Settings → Integrations → CallRail. One connection serves one CallRail company. */
export const callRailSettings = z.object({
  baseUrl: z.url().default('https://api.callrail.com/v3'),
  /** A CallRail API key (per user, with that user's access): `Authorization: Token token="…"`. */
  apiKey: secret(z.string().min(1)),
  /** `ACC…`: the account the company belongs to. */
  accountId: z.string().min(1),
  /** `COM…`: limits the backfill to this company (the webhooks are configured per company too). */
  companyId: z.string().min(1).nullable().default(null),
  /** The company's webhook signing key, shown on CallRail's Webhooks page: every delivery is signed with it. */
  signingKey: secret(z.string().min(1)),
  /** Calls listed on the first backfill. */
  backfillDays: z.number().int().min(1).max(365).default(30),
  /** How far each backfill re-reads behind the newest call it saw: post-call data and edits arrive late. */
  overlapHours: z.number().int().min(1).max(24 * 14).default(48),
  /** Calls per page (CallRail allows up to 250). */
  pageSize: z.number().int().min(1).max(250).default(250),
  /** The Sourceline-side location this company's numbers ring, if it serves one location. */
  locationId: z.string().min(1).nullable().default(null),
});

export type CallRailSettings = z.infer<typeof callRailSettings>;

