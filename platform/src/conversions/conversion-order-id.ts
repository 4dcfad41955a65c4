import { createHash } from 'node:crypto';

/** The events Sourceline reports as conversions; the first visit is the one so far. */
export type ConversionEvent = 'new_patient';

/**
 * The order id of a patient's conversion (`{event}-{32 hex}`): the same on every upload, so Google keeps one
 * conversion however often a range is sent again. A digest, not the chart id: Google gets no identifier it could
 * join to anything else, and no PHI.
 */
export function conversionOrderId(event: ConversionEvent, patientId: string): string {
  return `${event}-${createHash('sha256').update(`sourceline:${event}:${patientId}`).digest('hex').slice(0, 32)}`;
}
