import { Cents, IsoDateTime, isValidTimeZone } from '@sourceline/sdk';
import { z } from 'zod';
import { AttributedCredit, AttributionModelName, CurrencyCode, GoogleClickId } from './conversion-fields.ts';
import { centsToDecimal, conversionDateTime } from './conversion-time.ts';

/** One offline conversion to report against the ad click that brought the patient. */
export const ClickConversion = z.object({
  gclid: GoogleClickId,
  /** The conversion action's name exactly as it is in Google Ads (e.g. "Treatment accepted"). */
  conversionName: z.string().min(1).max(100).regex(/^[^=+\-@\t\r]/, 'must not start with = + - @ (spreadsheet formula characters)'),
  /** When the conversion happened; must be after the click. */
  conversionTime: IsoDateTime,
  /** The value in integer cents (e.g. the treatment's production; for external attribution, the click's credited part). */
  valueCents: Cents.min(0),
  currency: CurrencyCode,
  /** Externally attributed files only: the fraction of the conversion credited to this click. */
  attributedCredit: AttributedCredit.optional(),
});
export type ClickConversion = z.infer<typeof ClickConversion>;

export interface ClickConversionsCsvOptions {
  /** How every Conversion Time is read: an IANA zone, so daylight-saving changes are read right. */
  timeZone: string;
  /**
   * Makes the file Google's externally attributed template: the model's name on a `Parameters:` row and an
   * "Attributed Credit" column, which every row must then fill. The conversion action must use external attribution.
   */
  externalAttributionModel?: string;
}

const header = ['Google Click ID', 'Conversion Name', 'Conversion Time', 'Conversion Value', 'Conversion Currency'];
// Google's externally attributed template puts the credit after the time, before the value.
const externalHeader = ['Google Click ID', 'Conversion Name', 'Conversion Time', 'Attributed Credit', 'Conversion Value', 'Conversion Currency'];

/**
 * The rows that open Google Ads' offline click-conversion import file ("Import conversions from ad clicks", Google's
 * templates): the `Parameters:` rows, then the header row that must begin with "Google Click ID". The externally
 * attributed template writes `Parameters:Attribution Model = <name>` (spaced, as the template has it) before the zone.
 */
export function clickConversionsCsvHead(options: ClickConversionsCsvOptions): string[][] {
  if (!isValidTimeZone(options.timeZone)) throw new RangeError(`not an IANA time zone: ${options.timeZone}`);
  if (options.externalAttributionModel === undefined) return [[`Parameters:TimeZone=${options.timeZone}`], header];
  const model = AttributionModelName.parse(options.externalAttributionModel);
  return [[`Parameters:Attribution Model = ${model}`], [`Parameters:TimeZone=${options.timeZone}`], externalHeader];
}

/**
 * One conversion's cells under that head: the time as `yyyy-MM-dd HH:mm:ss` wall-clock in the file's zone, the value
 * from integer cents, and for external attribution the credit. Validates the conversion and refuses a credit the
 * file has no column for (or the reverse), so a file Google would reject row by row is never written.
 */
export function clickConversionCsvCells(conversion: ClickConversion, options: ClickConversionsCsvOptions): string[] {
  const c = ClickConversion.parse(conversion);
  const external = options.externalAttributionModel !== undefined;
  if (external && c.attributedCredit === undefined) throw new RangeError('an externally attributed file needs every conversion’s attributedCredit');
  if (!external && c.attributedCredit !== undefined) throw new RangeError('attributedCredit needs externalAttributionModel (Google’s externally attributed template)');
  const time = conversionDateTime(c.conversionTime, options.timeZone, { withOffset: false });
  const value = centsToDecimal(c.valueCents);
  return external ? [c.gclid, c.conversionName, time, String(c.attributedCredit), value, c.currency] : [c.gclid, c.conversionName, time, value, c.currency];
}

/** The whole import file as text: RFC 4180 quoting, CRLF lines. Streaming writers use the head and cells above. */
export function renderClickConversionsCsv(conversions: readonly ClickConversion[], options: ClickConversionsCsvOptions): string {
  const rows = [...clickConversionsCsvHead(options), ...conversions.map((c) => clickConversionCsvCells(c, options))];
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
