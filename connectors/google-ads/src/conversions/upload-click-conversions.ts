import { Cents, IsoDateTime, isValidTimeZone } from '@sourceline/sdk';
import { z } from 'zod';
import type { GoogleAdsSettings } from '../settings.ts';
import { conversionDateTime } from './conversion-time.ts';

/** Google accepts at most 2,000 conversions per UploadClickConversions request. */
const maxConversionsPerRequest = 2000;

export const ApiClickConversion = z.object({
  gclid: z.string().min(1),
  /** The numeric id of an UPLOAD_CLICKS conversion action. */
  conversionActionId: z.string().regex(/^\d+$/),
  conversionTime: IsoDateTime,
  valueCents: Cents.min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** One conversion per order id per action: the idempotency key, e.g. `treatment_accepted-crm-000981`. */
  orderId: z.string().min(1).max(64),
});
export type ApiClickConversion = z.infer<typeof ApiClickConversion>;

export interface UploadClickConversionsRequest {
  method: 'POST';
  url: string;
  /** Everything but `authorization`: the caller adds the OAuth bearer token. */
  headers: Record<string, string>;
  body: {
    conversions: {
      gclid: string; conversionAction: string; conversionDateTime: string; conversionValue: number; currencyCode: string; orderId: string;
    }[];
    partialFailure: true;
    validateOnly?: boolean;
  };
}

/**
 * Builds `ConversionUploadService.UploadClickConversions` over REST (§3.4): `partialFailure` is always true (one bad
 * row must not sink the batch), conversion times carry the account zone's offset, values are the cents as a decimal.
 */
export function buildUploadClickConversionsRequest(
  settings: Pick<GoogleAdsSettings, 'apiBaseUrl' | 'apiVersion' | 'customerId' | 'loginCustomerId' | 'developerToken'>,
  input: { conversions: readonly ApiClickConversion[]; timeZone: string; validateOnly?: boolean },
): UploadClickConversionsRequest {
  if (!isValidTimeZone(input.timeZone)) throw new RangeError(`not an IANA time zone: ${input.timeZone}`);
  const conversions = z.array(ApiClickConversion).max(maxConversionsPerRequest).parse(input.conversions);
  const customer = settings.customerId;
  return {
    method: 'POST',
    url: `${settings.apiBaseUrl.replace(/\/$/, '')}/${settings.apiVersion}/customers/${customer}:uploadClickConversions`,
    headers: {
      'content-type': 'application/json', 'developer-token': settings.developerToken,
      ...(settings.loginCustomerId ? { 'login-customer-id': settings.loginCustomerId } : {}),
    },
    body: {
      conversions: conversions.map((c) => ({
        gclid: c.gclid,
        conversionAction: `customers/${customer}/conversionActions/${c.conversionActionId}`,
        conversionDateTime: conversionDateTime(c.conversionTime, input.timeZone, { withOffset: true }),
        // A double in the API; cents / 100 is exact for any amount a practice bills.
        conversionValue: c.valueCents / 100,
        currencyCode: c.currency,
        orderId: c.orderId,
      })),
      partialFailure: true,
      ...(input.validateOnly ? { validateOnly: true } : {}),
    },
  };
}
