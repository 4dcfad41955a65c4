import type { Tx } from '../../db/tenant-transaction.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { AttributionModelId } from '../attribution-settings.ts';
import type { RollupChannel } from '../rollups.ts';

/** What one slice of rollups adds up to. Patients credited are fractional under multi-touch models. */
export interface RollupTotals {
  leads: number;
  /** Of the leads, those matching linked to a patient. */
  linkedLeads: number;
  newPatients: number;
  creditedPatients: number;
  productionLevel1Cents: number;
  productionLevel2Cents: number;
  productionLevel3Cents: number;
  /** Level 1 + level 2 (level 3 lies inside them). */
  productionCents: number;
  collectionsCents: number;
}

export interface RollupRange {
  /** YYYY-MM-DD, inclusive, in the practice's zone. */
  from: string;
  to: string;
  /** One Sourceline location, or every location (and leads without one). */
  locationId?: string | null;
}

const measures = Prisma.sql`
  coalesce(sum(leads), 0)::float8 AS leads,
  coalesce(sum(linked_leads), 0)::float8 AS "linkedLeads",
  coalesce(sum(new_patients), 0)::float8 AS "newPatients",
  coalesce(sum(credited_patient_millionths), 0)::float8 / 1e6 AS "creditedPatients",
  coalesce(sum(production_level1_cents), 0)::float8 AS "productionLevel1Cents",
  coalesce(sum(production_level2_cents), 0)::float8 AS "productionLevel2Cents",
  coalesce(sum(production_level3_cents), 0)::float8 AS "productionLevel3Cents",
  coalesce(sum(production_level1_cents + production_level2_cents), 0)::float8 AS "productionCents",
  coalesce(sum(collections_level1_cents + collections_level2_cents), 0)::float8 AS "collectionsCents"`;

function where(practiceIds: readonly string[], model: AttributionModelId, range: RollupRange): Prisma.Sql {
  const parts = [
    Prisma.sql`practice_id = ANY(${[...practiceIds]}::uuid[])`,
    Prisma.sql`model = ${model}`,
    Prisma.sql`day BETWEEN ${range.from}::date AND ${range.to}::date`,
  ];
  if (range.locationId) parts.push(Prisma.sql`location_id = ${range.locationId}::uuid`);
  return Prisma.join(parts, ' AND ');
}

/**
 * What a read grouped by practice and day at most scans: the day totals (a row per practice, model and day) unless it
 * asks for one location, which only the full rollups know.
 */
const byDay = (range: RollupRange) => (range.locationId ? Prisma.sql`attribution_rollups` : Prisma.sql`attribution_day_totals`);

/** The practice's leads per day of the range (days with none left out). Leads are the same under every model. */
export async function rollupLeadsByDay(tx: Tx, practiceId: string, model: AttributionModelId, range: RollupRange): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ day: string; leads: number }[]>`
    SELECT day::text AS day, sum(leads)::float8 AS leads FROM ${byDay(range)} WHERE ${where([practiceId], model, range)}
     GROUP BY day HAVING sum(leads) > 0`;
  return new Map(rows.map((r) => [r.day, r.leads]));
}

/** The practice's totals for a range under one model, channels and campaigns summed: from the day totals unless one location is asked for. */
export async function rollupTotals(tx: Tx, practiceId: string, model: AttributionModelId, range: RollupRange): Promise<RollupTotals> {
  const [totals] = await tx.$queryRaw<[RollupTotals]>`SELECT ${measures} FROM ${byDay(range)} WHERE ${where([practiceId], model, range)}`;
  return totals;
}

/** Per channel, most revenue first. */
export function rollupsByChannel(tx: Tx, practiceId: string, model: AttributionModelId, range: RollupRange): Promise<(RollupTotals & { channel: RollupChannel })[]> {
  return tx.$queryRaw`
    SELECT channel, ${measures} FROM attribution_rollups WHERE ${where([practiceId], model, range)}
     GROUP BY channel ORDER BY "productionCents" DESC, "creditedPatients" DESC, leads DESC, channel`;
}

/** Per campaign (within a channel, or all), most revenue first; leads and patients without a campaign share one row. */
export function rollupsByCampaign(
  tx: Tx,
  practiceId: string,
  model: AttributionModelId,
  range: RollupRange & { channel?: RollupChannel | null },
): Promise<(RollupTotals & { channel: RollupChannel; campaign: string | null })[]> {
  const channel = range.channel ? Prisma.sql`AND channel = ${range.channel}` : Prisma.empty;
  return tx.$queryRaw`
    SELECT channel, campaign, ${measures} FROM attribution_rollups WHERE ${where([practiceId], model, range)} ${channel}
     GROUP BY channel, campaign ORDER BY "productionCents" DESC, "creditedPatients" DESC, leads DESC, channel, campaign NULLS LAST`;
}

/**
 * Per practice, its totals in `slices` equal slices of the range, oldest first: the agency console's figures (the
 * slices summed) and sparkline in one pass. One query per model in use, each an index-only range scan of the day
 * totals, so 200 practices × a year of days come back as 12 rows a practice.
 */
export async function rollupSlicesByPractice(
  tx: Tx,
  practices: readonly { id: string; model: AttributionModelId }[],
  range: RollupRange & { days: number; slices: number },
): Promise<(RollupTotals & { practiceId: string; slice: number })[]> {
  const byModel = new Map<AttributionModelId, string[]>();
  for (const p of practices) byModel.set(p.model, [...(byModel.get(p.model) ?? []), p.id]);
  const rows = [];
  for (const [model, ids] of byModel) {
    rows.push(...(await tx.$queryRaw<(RollupTotals & { practiceId: string; slice: number })[]>`
      SELECT practice_id AS "practiceId", ((day - ${range.from}::date) * ${range.slices}::int / ${range.days}::int)::int AS slice, ${measures}
        FROM ${byDay(range)} WHERE ${where(ids, model, range)}
       GROUP BY 1, 2`));
  }
  return rows;
}
