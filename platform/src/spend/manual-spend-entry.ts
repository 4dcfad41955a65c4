import { createHash } from 'node:crypto';
import { IsoDate, type Spend } from '@sourceline/sdk';
import { z } from 'zod';
import { ChannelId } from '../channels/index.ts';

/** One row is at most ten million dollars: a larger number is a typo (cents typed as dollars), not a bill. */
export const MAX_SPEND_CENTS = 1_000_000_000;

const optionalText = z.string().trim().max(200).nullish().transform((v) => v || null);

/**
 * Spend an admin enters for a channel without an API, one campaign on one day. What is left blank gets the value
 * reports show for "unknown": source `manual`, campaign `(not set)`, currency USD.
 */
export const ManualSpendEntry = z.object({
  date: IsoDate,
  channel: ChannelId,
  source: optionalText.transform((v) => v ?? 'manual'),
  medium: optionalText,
  campaign: optionalText.transform((v) => v ?? '(not set)'),
  amountCents: z.number().int('a whole number of cents').min(0, 'spend is not negative').max(MAX_SPEND_CENTS, 'at most $10,000,000 per row'),
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, 'a three-letter currency code (USD)').nullish().transform((v) => v ?? 'USD'),
});
export type ManualSpendEntry = z.infer<typeof ManualSpendEntry>;
export type ManualSpendEntryInput = z.input<typeof ManualSpendEntry>;

/**
 * The record id of a manual row: its day and what it pays for (channel, source, medium, campaign, currency), not its
 * amount, compared case-insensitively. Importing the same file twice therefore updates rows instead of doubling spend,
 * and two rows for the same thing on the same day are refused rather than silently summed.
 */
export function manualSpendSourceId(entry: ManualSpendEntry): string {
  const what = [entry.channel, entry.source, entry.medium ?? '', entry.campaign, entry.currency].map((v) => v.toLowerCase());
  return `manual:${entry.date}:${createHash('sha256').update(JSON.stringify(what)).digest('hex').slice(0, 32)}`;
}

/** The canonical `spend` record a manual row is stored as. */
export function spendRecordOf(entry: ManualSpendEntry): Spend {
  return {
    id: manualSpendSourceId(entry), date: entry.date, source: entry.source, medium: entry.medium, campaign: entry.campaign, adGroup: null,
    costCents: entry.amountCents, currency: entry.currency, clicks: null, impressions: null,
  };
}
