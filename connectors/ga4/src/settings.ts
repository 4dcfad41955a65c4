import { secret } from '@sourceline/sdk';
import { z } from 'zod';

/** What an admin enters under Settings → Integrations → Google Analytics 4. */
export const ga4Settings = z.object({
  apiBaseUrl: z.url().default('https://analyticsdata.googleapis.com'),
  tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
  clientId: z.string().min(1),
  clientSecret: secret(z.string().min(1)),
  /** From the OAuth consent of a user with read access to the property. */
  refreshToken: secret(z.string().min(1)),
  /** The numeric GA4 property id (Admin → Property details), not the `G-…` measurement id. */
  propertyId: z.string().regex(/^\d+$/, 'the numeric property id, not the G- measurement id'),
  backfillDays: z.number().int().min(1).max(730).default(90),
  /** GA4 adds events up to three days late: re-read four days on every run. */
  overlapDays: z.number().int().min(1).max(30).default(4),
  /** Rows per report page (the Data API allows up to 250,000). */
  pageSize: z.number().int().min(1).max(250_000).default(10_000),
});

export type Ga4Settings = z.infer<typeof ga4Settings>;
