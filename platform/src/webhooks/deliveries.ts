import type { ParseResult } from '@sourceline/sdk';

/** The field name a delivery's raw body is sealed under (binds the ciphertext to its use). */
export const BODY_FIELD = 'webhook.body';

/** Why a delivery is quarantined: the connector made nothing of it (replay once the connector or its settings are fixed). */
export const UNREADABLE_FAILURE = 'the connector could not read the payload';

/**
 * Why a delivery is quarantined for good: its bytes were not UTF-8, and only their decoded text (with replacement
 * characters the sender never sent) was kept, so no parser fix can make it trustworthy. Replay leaves it alone.
 */
export const NOT_UTF8_FAILURE = 'the body is not UTF-8 text';

/** A payload the connector made nothing of: no records, no removals, only issues. Receipt and replay judge alike. */
export function isUnreadable(parsed: ParseResult): boolean {
  return parsed.records.length === 0 && !parsed.removed?.some((r) => r.ids.length) && parsed.issues.length > 0;
}
