import { z } from 'zod';

/**
 * A Google click identifier (gclid, gbraid or wbraid) as Google issues it: URL-safe base64 characters. Anything else
 * came from a tampered or mangled landing URL; refusing it also keeps a spreadsheet from running it as a formula.
 */
export const GoogleClickId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,511}$/, 'a Google click id (URL-safe base64 characters)');

/** Which click parameter an id came from: gclid, or gbraid (app) / wbraid (web) for iOS 14+ clicks without a gclid. */
export const ClickIdKind = z.enum(['gclid', 'gbraid', 'wbraid']);
export type ClickIdKind = z.infer<typeof ClickIdKind>;

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

/**
 * Externally attributed conversions carry the share of the conversion credited to the Google Ads click: more than 0
 * (Google refuses zero credit) and at most 1.
 */
export const AttributedCredit = z.number().gt(0).max(1);

/**
 * The external attribution model's name as Google shows it. It also stands alone on a `Parameters:` row of the import
 * file, so it may not contain the file's separators or start like a spreadsheet formula.
 */
export const AttributionModelName = z.string().min(1).max(100).regex(/^[^=+\-@\t\r\n,"][^\r\n,"]*$/, 'a model name without commas, quotes, line breaks or a leading = + - @');
