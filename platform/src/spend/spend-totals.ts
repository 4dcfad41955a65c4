import type { ChannelId } from '../channels/index.ts';
import { ChannelId as ChannelIdSchema, channelClassifier } from '../channels/index.ts';
import { loadPracticeChannelConfig } from '../channels/practice-channel-config.ts';
import type { Tx } from '../db/tenant-transaction.ts';

export interface SpendTotal {
  channel: ChannelId;
  campaign: string;
  cents: number;
}

/**
 * Spend per channel and campaign, `from` to `to` inclusive (YYYY-MM-DD): summed in SQL by what classification reads
 * (source, medium, campaign), then classified with the practice's rules as `listSpend` does row by row. For one
 * location, only spend of connections tied to it counts: an account serving the whole practice belongs to no location.
 */
export async function spendTotals(tx: Tx, practiceId: string, range: { from: string; to: string; locationId?: string | null }): Promise<SpendTotal[]> {
  const groups = await tx.$queryRaw<{ channel: string | null; source: string; medium: string | null; campaign: string; cents: number }[]>`
    SELECT s.channel, s.source, s.medium, s.campaign, sum(s.cost_cents)::float8 AS cents
      FROM spend s JOIN connections c ON c.id = s.connection_id
     WHERE s.practice_id = ${practiceId}::uuid AND s.deleted_at IS NULL AND s.date BETWEEN ${range.from}::date AND ${range.to}::date
       AND (${range.locationId ?? null}::uuid IS NULL OR c.location_id = ${range.locationId ?? null}::uuid)
     GROUP BY s.channel, s.source, s.medium, s.campaign`;
  if (!groups.length) return [];
  const classify = channelClassifier((await loadPracticeChannelConfig(tx, practiceId)).overrides);
  const totals = new Map<string, SpendTotal>();
  for (const group of groups) {
    const entered = ChannelIdSchema.safeParse(group.channel);
    const channel = entered.success ? entered.data : classify({ source: group.source, medium: group.medium, campaign: group.campaign }).channel;
    const key = `${channel}|${group.campaign}`;
    const total = totals.get(key) ?? { channel, campaign: group.campaign, cents: 0 };
    total.cents += group.cents;
    totals.set(key, total);
  }
  return [...totals.values()];
}

/**
 * Each practice's total spend over the range (the console needs no channel, so nothing is classified): one query, over
 * the day totals the spend table's triggers keep.
 */
export async function spendByPractice(tx: Tx, practiceIds: readonly string[], range: { from: string; to: string }): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ practiceId: string; cents: number }[]>`
    SELECT practice_id AS "practiceId", sum(cost_cents)::float8 AS cents FROM spend_day_totals
     WHERE practice_id = ANY(${[...practiceIds]}::uuid[]) AND day BETWEEN ${range.from}::date AND ${range.to}::date
     GROUP BY practice_id`;
  return new Map(rows.map((r) => [r.practiceId, r.cents]));
}
