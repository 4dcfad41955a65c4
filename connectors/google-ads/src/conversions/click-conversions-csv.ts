import { Cents, IsoDateTime, isValidTimeZone } from '@sourceline/sdk';
import { z } from 'zod';
import { centsToDecimal, conversionDateTime } from './conversion-time.ts';

/** One offline conversion to report against the ad click that brought the patient. */
export const ClickConversion = z.object({
  gclid: z.string().min(1),
  /** The conversion action's name exactly as it is in Google Ads (e.g. "Treatment accepted"). */
  conversionName: z.string().min(1).regex(/^[^=+\-@]/, 'must not start with = + - @ (spreadsheet formula characters)'),
  /** When the conversion happened; must be after the click. */
  conversionTime: IsoDateTime,
  /** The value in integer cents (e.g. the treatment's production). */
  valueCents: Cents.min(0),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
});
export type ClickConversion = z.infer<typeof ClickConversion>;

const header = ['Google Click ID', 'Conversion Name', 'Conversion Time', 'Conversion Value', 'Conversion Currency'];

/**
 * Renders Google Ads' offline click-conversion import file ("Import conversions from ad clicks", Google's CSV
 * template): a `Parameters:TimeZone=<IANA zone>` row that says how to read every Conversion Time, then the header row
 * that must begin with "Google Click ID", then one row per conversion with times as `yyyy-MM-dd HH:mm:ss` wall-clock
 * in that zone (a zone id, not an offset, so daylight-saving changes are read right). RFC 4180 quoting, CRLF lines.
 */
export function renderClickConversionsCsv(conversions: readonly ClickConversion[], options: { timeZone: string }): string {
  if (!isValidTimeZone(options.timeZone)) throw new RangeError(`not an IANA time zone: ${options.timeZone}`);
  const rows = z.array(ClickConversion).parse(conversions);
  const lines = [
    `Parameters:TimeZone=${options.timeZone}`,
    header.join(','),
    ...rows.map((c) => [
      c.gclid, c.conversionName, conversionDateTime(c.conversionTime, options.timeZone, { withOffset: false }), centsToDecimal(c.valueCents), c.currency,
    ].map(csvCell).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
