import { ClickConversion, clickConversionCsvCells, clickConversionsCsvHead, type ClickConversionsCsvOptions } from '@sourceline/connector-google-ads';
import { UserFacingError } from '../errors.ts';
import type { DayRange } from '../reports/report-range.ts';
import { externalModelName, GOOGLE_MAX_CLICK_WINDOW_DAYS, type ConversionAttribution, type ConversionSkip } from './patient-ad-conversion.ts';
import { addSkips, adConversionPages, conversionBasis, type TenantReader } from './select-ad-conversions.ts';

/** The conversion action's name when the request names none: the spec's suggested action for a first visit. */
export const DEFAULT_CONVERSION_NAME = 'New patient – first visit';

export interface AdConversionsCsvRequest {
  practiceId: string;
  range: DayRange;
  read: TenantReader;
  /** The request's own parameters: `attribution` (external, the default, or google), `conversionName`, `currency`. */
  param(name: string): string | null;
}

/** Where the rows go: a CSV writer that quotes cells (RFC 4180) and ends lines. */
export interface CsvRowSink {
  write(cells: string[]): unknown;
}

/**
 * Checks the file's parameters — before anything is audited or sent, so a bad one is a plain 400 — and returns the
 * writer of Google Ads' click-conversion import file for the range's new patients matched to a gclid: the externally
 * attributed template (credit under the practice's default model, credited production) unless `attribution=google`
 * asks for the plain one (whole production, Google's own attribution). Times are in the practice's zone. The file
 * carries click ids, times and money only: no names, phones or e-mails, and no hashed identifiers either (§3.4's
 * compliance flag: hashed contact details tied to dental treatment may still be PHI, which needs a BAA review first).
 */
export function openAdConversionsCsv(request: AdConversionsCsvRequest): (out: CsvRowSink) => Promise<{ rows: number; skipped: Partial<Record<ConversionSkip, number>> }> {
  const attribution = request.param('attribution') ?? 'external';
  if (attribution !== 'external' && attribution !== 'google') {
    throw new UserFacingError('attribution must be external (Sourceline’s credit) or google (Google’s own attribution).', 'BAD_USER_INPUT', { field: 'attribution' });
  }
  const conversionName = request.param('conversionName') ?? DEFAULT_CONVERSION_NAME;
  if (!ClickConversion.shape.conversionName.safeParse(conversionName).success) {
    throw new UserFacingError('conversionName must be the conversion action’s name in Google Ads (at most 100 characters, not starting with = + - @).', 'BAD_USER_INPUT', { field: 'conversionName' });
  }
  const currency = request.param('currency') ?? 'USD';
  if (!ClickConversion.shape.currency.safeParse(currency).success) throw new UserFacingError('currency must be an ISO 4217 code such as USD.', 'BAD_USER_INPUT', { field: 'currency' });

  return async (out) => {
    const basis = await request.read((tx) => conversionBasis(tx, request.practiceId));
    const options: ClickConversionsCsvOptions = {
      timeZone: basis.timeZone,
      ...(attribution === 'external' ? { externalAttributionModel: externalModelName(basis.model) } : {}),
    };
    for (const row of clickConversionsCsvHead(options)) out.write(row);
    const selection = { practiceId: request.practiceId, range: request.range, attribution: attribution as ConversionAttribution, clickWindowDays: GOOGLE_MAX_CLICK_WINDOW_DAYS, now: new Date() };
    const skipped: Partial<Record<ConversionSkip, number>> = {};
    let rows = 0;
    for await (const page of adConversionPages(request.read, selection, basis)) {
      addSkips(skipped, page.skipped);
      for (const c of page.conversions) {
        if (c.click.kind !== 'gclid') {
          addSkips(skipped, { 'click-id-not-in-file': 1 });
          continue;
        }
        const credit = c.credit === null ? {} : { attributedCredit: c.credit };
        out.write(clickConversionCsvCells({ gclid: c.click.id, conversionName, conversionTime: c.conversionTime, valueCents: c.valueCents, currency, ...credit }, options));
        rows += 1;
      }
    }
    return { rows, skipped };
  };
}
