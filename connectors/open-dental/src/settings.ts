import { isValidTimeZone, secret } from '@sourceline/sdk';
import { z } from 'zod';

/** What an admin enters under Settings → Integrations → Open Dental. */
export const openDentalSettings = z.object({
  /** Remote: https://api.opendental.com/api/v1; API Service: http://{server}:30223/api/v1; Local: http://localhost:30222/api/v1. */
  baseUrl: z.url().default('https://api.opendental.com/api/v1'),
  /** Identifies Sourceline as the integrating vendor (from the Open Dental Developer Portal). */
  developerKey: secret(z.string().min(1)),
  /** Generated for this office in the Developer Portal and enabled by the office under Setup → Advanced Setup → API. */
  customerKey: secret(z.string().min(1)),
  /** Remote pages hold at most 100 rows; the API Service and Local API 1000. */
  mode: z.enum(['remote', 'service', 'local']).default('remote'),
  /** Overrides the page size (Enterprise keys get 1000 on Remote, 10,000 on Service). */
  pageSize: z.number().int().min(1).max(10_000).optional(),
  /** The office server's IANA zone: Open Dental's date-times carry no offset. */
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone'),
  /** Each incremental pass re-reads this far behind the last serverDateTime: the DateTStamp filter may be `>` or `>=`. */
  overlapSeconds: z.number().int().min(0).max(86_400).default(120),
  /** How often appointments and referral attachments are listed in full to detect hard deletes (0 = every run). */
  reconcileEveryHours: z.number().min(0).max(24 * 30).default(24),
});

export type OpenDentalSettings = z.infer<typeof openDentalSettings>;

export function pageSizeOf(settings: Pick<OpenDentalSettings, 'mode' | 'pageSize'>): number {
  return settings.pageSize ?? (settings.mode === 'remote' ? 100 : 1000);
}
