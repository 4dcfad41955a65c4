import type { ChannelId } from '../channels/index.ts';
import { allocateByLargestRemainder } from './allocate.ts';
import { attributionModelIds, type AttributionModelId } from './attribution-settings.ts';
import type { PatientAttribution } from './attribute-patient.ts';
import type { DayNumber } from './local-day.ts';
import { primaryTouchpointIndex } from './primary-contributing.ts';
import type { PatientRevenue, RevenueDay } from './revenue.ts';
import { modelIndex, RollupAccumulator, summedMeasureIndex, type RollupRow } from './rollup-accumulator.ts';

export { RollupAccumulator, rollupMeasureNames } from './rollup-accumulator.ts';
export type { RollupChannel, RollupKey, RollupMeasureName, RollupMeasures, RollupRow } from './rollup-accumulator.ts';

/** A patient is a million millionths: fractional patient credit is split in whole millionths, exactly. */
export const PATIENT_MILLIONTHS = 1_000_000;

/** A lead episode as rollups count it: its first contact's day, location, channel and campaign. */
export interface LeadEpisode {
  episodeId: string;
  firstLeadId: string;
  day: DayNumber;
  locationId: string | null;
  channel: ChannelId;
  campaign: string | null;
  leadIds: readonly string[];
  /** Matching linked one of its contacts to a patient (whether or not the patient has visited yet). */
  linked: boolean;
}

const LEVEL_MEASURES = [
  summedMeasureIndex.productionLevel1Cents, summedMeasureIndex.productionLevel2Cents, summedMeasureIndex.productionLevel3Cents,
  summedMeasureIndex.collectionsLevel1Cents, summedMeasureIndex.collectionsLevel2Cents,
] as const;

/** A day's cents in the order of `LEVEL_MEASURES` (and `revenueMeasures`). */
function amountsOf(cents: RevenueDay['cents']): number[] {
  return [cents.productionLevel1, cents.productionLevel2, cents.productionLevel3, cents.collectionsLevel1, cents.collectionsLevel2];
}

/** The one touchpoint holding all the weight (first/last touch, single-touch journeys), or -1. Its split is trivial. */
function soleCreditedIndex(weights: readonly number[]): number {
  let sole = -1;
  for (let i = 0; i < weights.length; i += 1) {
    if ((weights[i] as number) === 0) continue;
    if (sole !== -1) return -1;
    sole = i;
  }
  return sole;
}

/** What a patient's rows are made of: a stored attribution rebuilt has these, and no more is read. */
export type PatientContribution = Pick<PatientAttribution, 'locationId' | 'firstVisitDay' | 'touchpoints' | 'credits'> & {
  revenue: Pick<PatientRevenue, 'days'>;
};

/** How one model splits a patient: its weights, the touch counted as the whole new patient, the sole holder if any. */
interface ModelSplit {
  model: number;
  weights: readonly number[];
  primary: number;
  sole: number;
}

/**
 * Adds one patient's rows: the whole patient and its fractional credit on the first-visit day, revenue on the days
 * it was earned. Every amount is split with `allocateByLargestRemainder` per day and measure, exactly as
 * `creditedRevenueCents` splits it, so a patient's drill-down adds up to the rollups. An unattributed patient is one
 * touch on the `unattributed` channel.
 */
export function addPatientRollups(accumulator: RollupAccumulator, patient: PatientContribution, models: readonly AttributionModelId[] = attributionModelIds): void {
  const { touchpoints, locationId, firstVisitDay } = patient;
  const unattributed = touchpoints.length === 0;
  const slots = unattributed ? [accumulator.slot(locationId, 'unattributed', null)] : touchpoints.map((t) => accumulator.slot(locationId, t.channel, t.campaign));
  const splits: ModelSplit[] = models.map((model) => {
    const weights = unattributed ? [1] : patient.credits[model];
    return { model: modelIndex[model], weights, primary: unattributed ? 0 : primaryTouchpointIndex(touchpoints, weights), sole: soleCreditedIndex(weights) };
  });

  const millionthsBySplit = splits.map((split) => (split.sole >= 0 ? null : allocateByLargestRemainder(PATIENT_MILLIONTHS, split.weights)));
  slots.forEach((slot, i) => {
    const block = accumulator.block(slot, firstVisitDay);
    splits.forEach((split, s) => {
      if (split.primary === i) accumulator.addAt(block, split.model, summedMeasureIndex.newPatients, 1);
      const millionths = millionthsBySplit[s]?.[i] ?? (split.sole === i ? PATIENT_MILLIONTHS : 0);
      if (millionths !== 0) accumulator.addAt(block, split.model, summedMeasureIndex.creditedPatientMillionths, millionths);
    });
  });

  for (const revenueDay of patient.revenue.days) {
    const amounts = amountsOf(revenueDay.cents);
    // parts[s][m][i]: touchpoint i's cents of measure m under split s (null: one touchpoint takes all, or nothing to split).
    const parts = splits.map((split) => (split.sole >= 0 ? null : amounts.map((cents) => (cents === 0 ? null : allocateByLargestRemainder(cents, split.weights)))));
    slots.forEach((slot, i) => {
      const block = accumulator.block(slot, revenueDay.day);
      splits.forEach((split, s) => {
        if (split.sole >= 0 && split.sole !== i) return;
        amounts.forEach((amount, m) => {
          const part = split.sole >= 0 ? amount : (parts[s]?.[m]?.[i] ?? 0);
          if (part !== 0) accumulator.addAt(block, split.model, LEVEL_MEASURES[m] as number, part);
        });
      });
    });
  }
}

/** Adds one lead episode: one lead (and one linked lead when linked), under every model, so each model's rows carry the leads. */
export function addEpisodeRollups(accumulator: RollupAccumulator, episode: LeadEpisode, models: readonly AttributionModelId[] = attributionModelIds): void {
  const block = accumulator.block(accumulator.slot(episode.locationId, episode.channel, episode.campaign), episode.day);
  for (const model of models) {
    accumulator.addAt(block, modelIndex[model], summedMeasureIndex.leads, 1);
    if (episode.linked) accumulator.addAt(block, modelIndex[model], summedMeasureIndex.linkedLeads, 1);
  }
}

/** The rows one patient contributes: store them beside the patient, and diff against them when the patient changes. */
export function patientRollupRows(patient: PatientContribution, models?: readonly AttributionModelId[]): RollupRow[] {
  const accumulator = new RollupAccumulator();
  addPatientRollups(accumulator, patient, models);
  return accumulator.rows();
}

/** The rows one lead episode contributes. */
export function episodeRollupRows(episode: LeadEpisode, models?: readonly AttributionModelId[]): RollupRow[] {
  const accumulator = new RollupAccumulator();
  addEpisodeRollups(accumulator, episode, models);
  return accumulator.rows();
}

/**
 * What to add to the stored rollups when a contributor (a patient or a lead episode) changes from `previous` rows to
 * `next` rows: next − previous per key, keys with no change left out. Apply it with
 * `INSERT … ON CONFLICT (key) DO UPDATE SET leads = leads + excluded.leads, …` and delete rows that reach all zeros.
 * A new contributor has no previous rows; a removed one has no next rows.
 */
export function rollupDelta(previous: readonly RollupRow[], next: readonly RollupRow[]): RollupRow[] {
  return new RollupAccumulator().addRows(next).addRows(previous, -1).rows();
}

/** Stored rows plus a delta, as the database's upsert would leave them (rows at all zeros removed). */
export function applyRollupDelta(current: readonly RollupRow[], delta: readonly RollupRow[]): RollupRow[] {
  return new RollupAccumulator().addRows(current).addRows(delta).rows();
}

/** Rows with equal keys merged. */
export function sumRollupRows(rows: readonly RollupRow[]): RollupRow[] {
  return new RollupAccumulator().addRows(rows).rows();
}
