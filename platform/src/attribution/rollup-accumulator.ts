import type { ChannelId } from '../channels/index.ts';
import { attributionModelIds, type AttributionModelId } from './attribution-settings.ts';
import { dayNumberOfDate, isoDateOfDay, type DayNumber } from './local-day.ts';

/** A patient with no touchpoint is counted under `unattributed`, so every model's rows add up to all new patients. */
export type RollupChannel = ChannelId | 'unattributed';

export interface RollupKey {
  /** `YYYY-MM-DD` in the practice's zone: the lead's day, the first-visit day, or the day revenue was earned. */
  day: string;
  locationId: string | null;
  channel: RollupChannel;
  campaign: string | null;
  model: AttributionModelId;
}

/**
 * Every measure is an integer, so rollups kept current by adding deltas never drift from a full recompute:
 * - `leads`: lead episodes (repeat contacts are not new leads), on the first contact's day, channel and campaign;
 *   the same in every model's rows, so a dashboard filtered to one model still shows leads;
 * - `linkedLeads`: those of the episodes matching linked to a patient (through any of its contacts), on the same key:
 *   linkedLeads / leads is the match rate, read from rollups rather than from a scan of every lead;
 * - `newPatients`: whole patients on their first-visit day, on the primary channel under that model;
 * - `creditedPatientMillionths`: the fractional patient credit in millionths (a patient is 1,000,000, split by
 *   largest remainder); divide by 1e6 to read it;
 * - revenue in cents per level, and the totals that do not double count: level 1 + level 2 (level 3 lies inside them).
 */
export const rollupMeasureNames = [
  'leads', 'linkedLeads', 'newPatients', 'creditedPatientMillionths',
  'productionLevel1Cents', 'productionLevel2Cents', 'productionLevel3Cents', 'productionTotalCents',
  'collectionsLevel1Cents', 'collectionsLevel2Cents', 'collectionsTotalCents',
] as const;
export type RollupMeasureName = (typeof rollupMeasureNames)[number];
export type RollupMeasures = Record<RollupMeasureName, number>;
export type RollupRow = RollupKey & RollupMeasures;

/** The measures actually summed; the two totals are levels 1 + 2 by definition and are derived when rows are read. */
export const summedMeasures = [
  'leads', 'linkedLeads', 'newPatients', 'creditedPatientMillionths',
  'productionLevel1Cents', 'productionLevel2Cents', 'productionLevel3Cents', 'collectionsLevel1Cents', 'collectionsLevel2Cents',
] as const;
export type SummedMeasure = (typeof summedMeasures)[number];
export const summedMeasureIndex = Object.fromEntries(summedMeasures.map((name, i) => [name, i])) as Record<SummedMeasure, number>;
export const modelIndex = Object.fromEntries(attributionModelIds.map((id, i) => [id, i])) as Record<AttributionModelId, number>;

const MEASURE_COUNT = summedMeasures.length;
const MODEL_COUNT = attributionModelIds.length;
/** One block holds every model's measures for one (slot, day): one lookup serves all six models. */
const BLOCK = MODEL_COUNT * MEASURE_COUNT;

/** One (location, channel, campaign) of the rollups. */
export interface RollupSlot {
  locationId: string | null;
  channel: RollupChannel;
  campaign: string | null;
  /** day → where that day's block starts in the accumulator's pool. */
  days: Map<DayNumber, number>;
}

/**
 * Sums rollup contributions by key; `rows()` gives them back in a canonical order, rows at all zeros dropped.
 * A practice adds tens of millions of amounts, so slots are looked up once per touchpoint, a day's block once for
 * all models, and measures live in one growing pool of doubles (integers, exact up to 2⁵³), not an object per row.
 */
export class RollupAccumulator {
  private readonly slots = new Map<string, RollupSlot>();
  // Small at first and doubled as it fills: most accumulators hold one patient's or one episode's rows (a few
  // blocks), and a run makes one per changed contributor; 1,024 blocks each was 440 KB zeroed per patient.
  private pool = new Float64Array(BLOCK * 8);
  private used = 0;

  slot(locationId: string | null, channel: RollupChannel, campaign: string | null): RollupSlot {
    // JSON keeps free-text campaigns and location ids from colliding with one another.
    const key = `${channel}|${JSON.stringify(locationId)}|${JSON.stringify(campaign)}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { locationId, channel, campaign, days: new Map() };
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** Where the block of (slot, day) starts in the pool, created at zeros if new. */
  block(slot: RollupSlot, day: DayNumber): number {
    let start = slot.days.get(day);
    if (start === undefined) {
      if (this.used + BLOCK > this.pool.length) {
        const grown = new Float64Array(this.pool.length * 2);
        grown.set(this.pool);
        this.pool = grown;
      }
      start = this.used;
      this.used += BLOCK;
      slot.days.set(day, start);
    }
    return start;
  }

  /** Adds to one model's measure (indexes into `attributionModelIds` and `summedMeasures`) in a block. */
  addAt(block: number, model: number, measure: number, amount: number): void {
    // Measure-major: one measure of all six models shares a cache line, and a patient writes the same measures
    // under every model, so a block costs a cache miss or two rather than one per model.
    const at = block + measure * MODEL_COUNT + model;
    this.pool[at] = (this.pool[at] as number) + amount;
  }

  addRows(rows: readonly RollupRow[], sign: 1 | -1 = 1): this {
    for (const row of rows) {
      const block = this.block(this.slot(row.locationId, row.channel, row.campaign), dayNumberOfDate(row.day));
      summedMeasures.forEach((measure, m) => this.addAt(block, modelIndex[row.model], m, sign * row[measure]));
    }
    return this;
  }

  /** Rows ordered by location, channel, campaign, day and model: canonical, and cheap to produce. */
  rows(): RollupRow[] {
    const rows: RollupRow[] = [];
    const isoDays = new Map<DayNumber, string>();
    for (const slot of [...this.slots.values()].sort(compareSlots)) {
      for (const day of [...slot.days.keys()].sort((a, b) => a - b)) {
        const block = slot.days.get(day) as number;
        let isoDay = isoDays.get(day);
        if (isoDay === undefined) {
          isoDay = isoDateOfDay(day);
          isoDays.set(day, isoDay);
        }
        for (let model = 0; model < MODEL_COUNT; model += 1) {
          const measure = (name: SummedMeasure) => this.pool[block + summedMeasureIndex[name] * MODEL_COUNT + model] as number;
          const row: RollupRow = {
            day: isoDay, locationId: slot.locationId, channel: slot.channel, campaign: slot.campaign, model: attributionModelIds[model] as AttributionModelId,
            leads: measure('leads'), linkedLeads: measure('linkedLeads'), newPatients: measure('newPatients'), creditedPatientMillionths: measure('creditedPatientMillionths'),
            productionLevel1Cents: measure('productionLevel1Cents'), productionLevel2Cents: measure('productionLevel2Cents'),
            productionLevel3Cents: measure('productionLevel3Cents'), productionTotalCents: measure('productionLevel1Cents') + measure('productionLevel2Cents'),
            collectionsLevel1Cents: measure('collectionsLevel1Cents'), collectionsLevel2Cents: measure('collectionsLevel2Cents'),
            collectionsTotalCents: measure('collectionsLevel1Cents') + measure('collectionsLevel2Cents'),
          };
          if (summedMeasures.some((name) => row[name] !== 0)) rows.push(row);
        }
      }
    }
    return rows;
  }
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function compareSlots(a: RollupSlot, b: RollupSlot): number {
  return compareText(a.locationId, b.locationId) || compareText(a.channel, b.channel) || compareText(a.campaign, b.campaign);
}
