import { FatalError } from '@sourceline/sdk';
import { z } from 'zod';

const GoogleAdsError = z.object({
  errorCode: z.record(z.string(), z.string()).optional(),
  message: z.string().optional(),
  location: z.object({ fieldPathElements: z.array(z.object({ fieldName: z.string(), index: z.number().optional() })).optional() }).optional(),
});

/**
 * `UploadClickConversionsResponse` in proto3 JSON: one result per conversion (an empty object where it failed), the
 * failures as a google.rpc.Status whose details are GoogleAdsFailure messages locating each error by
 * `conversions[index]`, and the job id (an int64, so a string).
 */
const UploadResponse = z.object({
  results: z.array(z.record(z.string(), z.unknown())).default([]),
  partialFailureError: z
    .object({ code: z.number().optional(), message: z.string().optional(), details: z.array(z.object({ errors: z.array(GoogleAdsError).optional() }).loose()).optional() })
    .optional(),
  jobId: z.union([z.string(), z.number()]).optional(),
});

/** Google's verdict on one conversion of the request, by its position in it. */
export type ClickConversionOutcome =
  | { accepted: true }
  /** `code` is the enum value (`CONVERSION_PRECEDES_EVENT`); `kind` its error family (`conversionUploadError`). */
  | { accepted: false; code: string; kind: string; message: string };

export interface ClickConversionUploadResult {
  /** Google's id of the upload job, for diagnostics with Google support; null when it sent none. */
  jobId: string | null;
  outcomes: ClickConversionOutcome[];
}

/**
 * Reads the answer to an upload of `count` conversions. A conversion is accepted when Google returned a result for it
 * and no error names its index; an error with no index (the whole request) applies to every conversion. A dry run
 * (`validateOnly`) may come back without results: there, no error is the verdict.
 */
export function readUploadClickConversionsResponse(json: unknown, count: number, options: { validateOnly?: boolean } = {}): ClickConversionUploadResult {
  const parsed = UploadResponse.safeParse(json);
  if (!parsed.success) throw new FatalError('Google Ads sent an unexpected answer to uploadClickConversions');
  const { results, partialFailureError, jobId } = parsed.data;
  const errors = (partialFailureError?.details ?? []).flatMap((d) => d.errors ?? []);
  const byIndex = new Map<number, z.infer<typeof GoogleAdsError>>();
  let wholeRequest: z.infer<typeof GoogleAdsError> | undefined;
  for (const error of errors) {
    const element = error.location?.fieldPathElements?.find((e) => e.fieldName === 'conversions');
    if (element?.index === undefined) wholeRequest ??= error;
    else if (!byIndex.has(element.index)) byIndex.set(element.index, error);
  }
  const outcomes = Array.from({ length: count }, (_, i): ClickConversionOutcome => {
    const error = byIndex.get(i) ?? wholeRequest;
    if (error) {
      const [kind, code] = Object.entries(error.errorCode ?? {})[0] ?? ['unknown', 'UNKNOWN'];
      return { accepted: false, code, kind, message: error.message ?? '' };
    }
    const result = results[i];
    if ((result && Object.keys(result).length > 0) || (options.validateOnly && results.length === 0)) return { accepted: true };
    return { accepted: false, code: 'NO_RESULT', kind: 'unknown', message: 'Google Ads returned no result for this conversion' };
  });
  return { jobId: jobId === undefined ? null : String(jobId), outcomes };
}
