import { Cents, IsoDateTime, isValidTimeZone } from '@sourceline/sdk';
import { z } from 'zod';
import { googleAdsHeaders } from '../request-headers.ts';
import type { GoogleAdsSettings } from '../settings.ts';
import { AttributedCredit, AttributionModelName, CurrencyCode, GoogleClickId } from './conversion-fields.ts';
import { conversionDateTime } from './conversion-time.ts';

/** Google accepts at most 2,000 conversions per UploadClickConversions request. */
export const MAX_CONVERSIONS_PER_REQUEST = 2000;

/**
 * One click conversion for the API. Exactly one click id: a gclid, or for iOS 14+ clicks a gbraid (app) or wbraid
 * (web) — Google refuses two (`GBRAID_WBRAID_BOTH_SET`, `VALUE_MUST_BE_UNSET`). Either an order id or external
 * attribution data, never both: Google refuses order ids on externally attributed actions
 * (`ORDER_ID_NOT_PERMITTED_FOR_EXTERNALLY_ATTRIBUTED_CONVERSION_ACTION`), where the click and time dedupe instead.
 */
export const ApiClickConversion = z
  .object({
    gclid: GoogleClickId.optional(),
    gbraid: GoogleClickId.optional(),
    wbraid: GoogleClickId.optional(),
    /** The numeric id of an UPLOAD_CLICKS conversion action. */
    conversionActionId: z.string().regex(/^\d+$/),
    conversionTime: IsoDateTime,
    valueCents: Cents.min(0),
    currency: CurrencyCode,
    /** One conversion per order id per action: the idempotency key, e.g. `treatment_accepted-crm-000981`. */
    orderId: z.string().min(1).max(64).optional(),
    /** For actions whose attribution model is EXTERNAL: the click's share of the conversion and the model's name. */
    externalAttribution: z.object({ credit: AttributedCredit, model: AttributionModelName }).optional(),
  })
  .refine((c) => [c.gclid, c.gbraid, c.wbraid].filter(Boolean).length === 1, 'exactly one of gclid, gbraid or wbraid')
  .refine((c) => !(c.orderId && c.externalAttribution), 'an order id cannot go with external attribution data');
export type ApiClickConversion = z.infer<typeof ApiClickConversion>;

export interface UploadClickConversionsBody {
  conversions: {
    gclid?: string; gbraid?: string; wbraid?: string; conversionAction: string; conversionDateTime: string; conversionValue: number; currencyCode: string;
    orderId?: string; externalAttributionData?: { externalAttributionCredit: number; externalAttributionModel: string };
  }[];
  partialFailure: true;
  validateOnly?: boolean;
}

export interface UploadClickConversionsRequest {
  method: 'POST';
  url: string;
  /** Everything but `authorization`: the caller adds the OAuth bearer token. */
  headers: Record<string, string>;
  body: UploadClickConversionsBody;
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
  const conversions = z.array(ApiClickConversion).max(MAX_CONVERSIONS_PER_REQUEST).parse(input.conversions);
  const customer = settings.customerId;
  return {
    method: 'POST',
    url: `${settings.apiBaseUrl.replace(/\/$/, '')}/${settings.apiVersion}/customers/${customer}:uploadClickConversions`,
    headers: googleAdsHeaders(settings),
    body: {
      conversions: conversions.map((c) => ({
        ...(c.gclid ? { gclid: c.gclid } : c.gbraid ? { gbraid: c.gbraid } : { wbraid: c.wbraid! }),
        conversionAction: `customers/${customer}/conversionActions/${c.conversionActionId}`,
        conversionDateTime: conversionDateTime(c.conversionTime, input.timeZone, { withOffset: true }),
        // A double in the API; cents / 100 is exact for any amount a practice bills.
        conversionValue: c.valueCents / 100,
        currencyCode: c.currency,
        ...(c.orderId ? { orderId: c.orderId } : {}),
        ...(c.externalAttribution
          ? { externalAttributionData: { externalAttributionCredit: c.externalAttribution.credit, externalAttributionModel: c.externalAttribution.model } }
          : {}),
      })),
      partialFailure: true,
      ...(input.validateOnly ? { validateOnly: true } : {}),
    },
  };
}
