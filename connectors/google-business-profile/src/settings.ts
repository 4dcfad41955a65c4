import { secret } from '@sourceline/sdk';
import { z } from 'zod';

/** The Performance API's `DailyMetric` values the connector reads, and the record field each fills. */
export const dailyMetricFields = {
  CALL_CLICKS: 'callClicks',
  WEBSITE_CLICKS: 'websiteClicks',
  BUSINESS_DIRECTION_REQUESTS: 'directionRequests',
  BUSINESS_BOOKINGS: 'bookings',
  MESSAGING_CLICKS: 'messagingClicks',
  BUSINESS_IMPRESSIONS_DESKTOP_MAPS: 'impressionsDesktopMaps',
  BUSINESS_IMPRESSIONS_DESKTOP_SEARCH: 'impressionsDesktopSearch',
  BUSINESS_IMPRESSIONS_MOBILE_MAPS: 'impressionsMobileMaps',
  BUSINESS_IMPRESSIONS_MOBILE_SEARCH: 'impressionsMobileSearch',
} as const;
export type DailyMetric = keyof typeof dailyMetricFields;
export const DailyMetric = z.enum(Object.keys(dailyMetricFields) as [DailyMetric, ...DailyMetric[]]);

/** `locations/123` or `123`: the API wants the bare, unobfuscated listing id in the path. */
const LocationId = z.string().transform((id) => id.replace(/^locations\//, '')).pipe(z.string().regex(/^\d+$/, 'a numeric location id'));

/** What an admin enters under Settings → Integrations → Google Business Profile. */
export const gbpSettings = z.object({
  apiBaseUrl: z.url().default('https://businessprofileperformance.googleapis.com'),
  tokenUrl: z.url().default('https://oauth2.googleapis.com/token'),
  clientId: z.string().min(1),
  clientSecret: secret(z.string().min(1)),
  /** From the OAuth consent of a user who manages the listings. */
  refreshToken: secret(z.string().min(1)),
  /** The practice's listings. */
  locationIds: z.array(LocationId).min(1),
  metrics: z.array(DailyMetric).min(1).default(Object.keys(dailyMetricFields) as DailyMetric[]),
  backfillDays: z.number().int().min(1).max(540).default(90),
  /** Google revises the last few days (the data arrives with a delay of days): re-read a week on every run. */
  overlapDays: z.number().int().min(1).max(30).default(7),
});

export type GbpSettings = z.infer<typeof gbpSettings>;
