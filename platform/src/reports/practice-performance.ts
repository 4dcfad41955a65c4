import type { AttributionModelId } from '../attribution/attribution-settings.ts';
import { attributionSettingsOf, DEFAULT_ATTRIBUTION_SETTINGS } from '../attribution/practice/attribution-settings-store.ts';
import { rollupsByCampaign, rollupsByChannel, rollupSlicesByPractice, rollupTotals, type RollupTotals } from '../attribution/practice/read-rollups.ts';
import type { RollupChannel } from '../attribution/rollups.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { spendByPractice, spendTotals, type SpendTotal } from '../spend/spend-totals.ts';
import { previousRange, type DayRange } from './report-range.ts';

/** A slice's rollups with its spend and what practices ask of them: cost per lead and per patient, return on spend. */
export interface PerformanceFigures extends RollupTotals {
  spendCents: number;
  /** Null where the divisor is zero: no spend, no leads, no patients. */
  costPerLeadCents: number | null;
  costPerPatientCents: number | null;
  /** Credited production per dollar spent. */
  returnOnSpend: number | null;
}

export interface PerformanceQuery extends DayRange {
  /** The practice's default model when absent. */
  model?: AttributionModelId | null;
  locationId?: string | null;
}

const EMPTY: RollupTotals = {
  leads: 0, linkedLeads: 0, newPatients: 0, creditedPatients: 0, productionLevel1Cents: 0, productionLevel2Cents: 0, productionLevel3Cents: 0, productionCents: 0,
  collectionsCents: 0,
};

function figures(totals: RollupTotals, spendCents: number): PerformanceFigures {
  const per = (divisor: number) => (spendCents > 0 && divisor > 0 ? spendCents / divisor : null);
  return {
    ...totals,
    spendCents,
    costPerLeadCents: per(totals.leads),
    costPerPatientCents: per(totals.creditedPatients),
    returnOnSpend: spendCents > 0 ? totals.productionCents / spendCents : null,
  };
}

const sumCents = (spend: readonly SpendTotal[]) => spend.reduce((sum, s) => sum + s.cents, 0);

export async function modelOf(tx: Tx, practiceId: string, asked?: AttributionModelId | null): Promise<AttributionModelId> {
  return asked ?? (await attributionSettingsOf(tx, practiceId)).defaultModel;
}

/** A range's spend, all channels: from the day totals unless one location is asked for. */
async function spendCents(tx: Tx, practiceId: string, range: PerformanceQuery): Promise<number> {
  return range.locationId ? sumCents(await spendTotals(tx, practiceId, range)) : ((await spendByPractice(tx, [practiceId], range)).get(practiceId) ?? 0);
}

/**
 * How the reports read the practice's default model, its rollups and its spend: straight from the database, or through
 * a request's cache, so a dashboard's fields (totals, channels, data quality) share one read of each. A range whose
 * channels are shown is summed from them (one scan answers both); the previous period, shown only as totals, is read
 * as totals.
 */
export interface PerformanceReads {
  model(tx: Tx, practiceId: string, asked?: AttributionModelId | null): Promise<AttributionModelId>;
  byChannel(tx: Tx, practiceId: string, model: AttributionModelId, range: PerformanceQuery): Promise<(RollupTotals & { channel: RollupChannel })[]>;
  totals(tx: Tx, practiceId: string, model: AttributionModelId, range: PerformanceQuery): Promise<RollupTotals>;
  spend(tx: Tx, practiceId: string, range: PerformanceQuery): Promise<SpendTotal[]>;
  spendCents(tx: Tx, practiceId: string, range: PerformanceQuery): Promise<number>;
}

export const databaseReads: PerformanceReads = { model: modelOf, byChannel: rollupsByChannel, totals: rollupTotals, spend: spendTotals, spendCents };

/**
 * A range's totals, added up from its channels: the dashboard reads both, and one scan of the rollups answers both.
 * Credited patients are summed in whole millionths, as the rollups store them, so the sum is exact.
 */
export function totalsOfChannels(rows: readonly RollupTotals[]): RollupTotals {
  const sum = { ...EMPTY };
  let millionths = 0;
  for (const row of rows) {
    for (const key of Object.keys(sum) as (keyof RollupTotals)[]) sum[key] += row[key];
    millionths += Math.round(row.creditedPatients * 1e6);
  }
  return { ...sum, creditedPatients: millionths / 1e6 };
}

/** The practice's totals for the range and for the period before it, under one model. */
export async function practiceTotals(
  tx: Tx,
  practiceId: string,
  query: PerformanceQuery,
  reads: PerformanceReads = databaseReads,
): Promise<{ model: AttributionModelId; current: PerformanceFigures; previous: PerformanceFigures; previousRange: DayRange }> {
  const model = await reads.model(tx, practiceId, query.model);
  const before = previousRange(query);
  const [channels, previous, spendNow, spendBefore] = await Promise.all([
    reads.byChannel(tx, practiceId, model, query),
    reads.totals(tx, practiceId, model, { ...before, locationId: query.locationId }),
    reads.spend(tx, practiceId, query),
    reads.spendCents(tx, practiceId, { ...before, locationId: query.locationId }),
  ]);
  return { model, current: figures(totalsOfChannels(channels), sumCents(spendNow)), previous: figures(previous, spendBefore), previousRange: before };
}

/** Per channel, spend included (a channel with spend and nothing to show for it is listed too). */
export async function channelPerformance(
  tx: Tx,
  practiceId: string,
  query: PerformanceQuery,
  reads: PerformanceReads = databaseReads,
): Promise<(PerformanceFigures & { channel: RollupChannel })[]> {
  const model = await reads.model(tx, practiceId, query.model);
  const [rows, spend] = await Promise.all([reads.byChannel(tx, practiceId, model, query), reads.spend(tx, practiceId, query)]);
  const spendByChannel = new Map<string, number>();
  for (const s of spend) spendByChannel.set(s.channel, (spendByChannel.get(s.channel) ?? 0) + s.cents);
  const result = rows.map(({ channel, ...totals }) => ({ channel, ...figures(totals, spendByChannel.get(channel) ?? 0) }));
  for (const [channel, cents] of spendByChannel) {
    if (!rows.some((r) => r.channel === channel)) result.push({ channel: channel as RollupChannel, ...figures(EMPTY, cents) });
  }
  return result;
}

/** Per campaign of a channel (or all), spend included by campaign name. */
export async function campaignPerformance(
  tx: Tx,
  practiceId: string,
  query: PerformanceQuery & { channel?: RollupChannel | null },
): Promise<(PerformanceFigures & { channel: RollupChannel; campaign: string | null })[]> {
  const model = await modelOf(tx, practiceId, query.model);
  const [rows, spend] = await Promise.all([rollupsByCampaign(tx, practiceId, model, query), spendTotals(tx, practiceId, query)]);
  const wanted = spend.filter((s) => !query.channel || s.channel === query.channel);
  const spendOf = (channel: string, campaign: string | null) => wanted.filter((s) => s.channel === channel && s.campaign === campaign).reduce((sum, s) => sum + s.cents, 0);
  const result = rows.map(({ channel, campaign, ...totals }) => ({ channel, campaign, ...figures(totals, spendOf(channel, campaign)) }));
  for (const s of wanted) {
    if (!rows.some((r) => r.channel === s.channel && r.campaign === s.campaign)) result.push({ channel: s.channel, campaign: s.campaign, ...figures(EMPTY, s.cents) });
  }
  return result;
}

/**
 * Every practice's figures for the agency console, each under the model asked for or its own default, with new
 * patients in `slices` equal slices of the range (the sparkline): a few queries, not a few per practice.
 */
export async function practicesPerformance(
  tx: Tx,
  practiceIds: readonly string[],
  query: DayRange & { model?: AttributionModelId | null },
  slices = 12,
): Promise<Map<string, { figures: PerformanceFigures; trend: number[] }>> {
  const defaults = new Map((await tx.attributionSettings.findMany({ where: { practiceId: { in: [...practiceIds] } } })).map((s) => [s.practiceId, s.defaultModel as AttributionModelId]));
  const practices = practiceIds.map((id) => ({ id, model: query.model ?? defaults.get(id) ?? DEFAULT_ATTRIBUTION_SETTINGS.defaultModel }));
  const days = Math.round((Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000) + 1;
  const count = Math.min(slices, days);
  const totals = new Map(practiceIds.map((id) => [id, { ...EMPTY }]));
  const trends = new Map(practiceIds.map((id) => [id, new Array<number>(count).fill(0)]));
  for (const { practiceId, slice, ...row } of await rollupSlicesByPractice(tx, practices, { ...query, days, slices: count })) {
    const sum = totals.get(practiceId)!;
    for (const key of Object.keys(sum) as (keyof RollupTotals)[]) sum[key] += row[key];
    trends.get(practiceId)![slice] = row.newPatients;
  }
  const spend = await spendByPractice(tx, practiceIds, query);
  return new Map(practiceIds.map((id) => [id, { figures: figures(totals.get(id)!, spend.get(id) ?? 0), trend: trends.get(id)! }]));
}
