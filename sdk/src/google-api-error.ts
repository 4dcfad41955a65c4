import { z } from 'zod';

const GoogleApiError = z.object({ error: z.object({ code: z.number(), message: z.string(), status: z.string().optional() }) });

/**
 * Google's REST APIs (Business Profile, Analytics Data, Ads) answer errors as `{ error: { code, message, status } }`.
 * Returns `STATUS: message` for an error message a person can act on, or undefined for any other body.
 */
export function describeGoogleApiError(body: string): string | undefined {
  try {
    const parsed = GoogleApiError.safeParse(JSON.parse(body));
    if (!parsed.success) return undefined;
    const { status, message } = parsed.data.error;
    return status ? `${status}: ${message}` : message;
  } catch {
    return undefined;
  }
}
