import type pg from 'pg';
import type { ChannelId } from '../../channels/index.ts';
import { attributionModelIds, type AttributionModelId } from '../attribution-settings.ts';
import type { PatientAttribution } from '../attribute-patient.ts';
import { dayNumberOfDate, isoDateOfDay } from '../local-day.ts';
import { revenueMeasures, type PatientRevenue } from '../revenue.ts';
import { episodeRollupRows, patientRollupRows, type LeadEpisode, type PatientContribution, type RollupRow } from '../rollups.ts';
import type { Touchpoint } from '../touchpoints.ts';
import type { StoredTouchpoint } from './patient-attribution.ts';

/**
 * What each contributor to the rollups (a new patient, a lead episode) last added to them, as stored beside it: a
 * run that recomputes some contributors takes their stored rows back out and adds their fresh ones.
 */

/** A day of credited revenue as stored: [date, production L1, L2, L3, collections L1, L2]. */
type StoredRevenueDay = [string, number, number, number, number, number];

function storedRevenueDays(revenue: PatientRevenue): StoredRevenueDay[] {
  return revenue.days.map((d) => [isoDateOfDay(d.day), ...revenueMeasures.map((m) => d.cents[m])] as StoredRevenueDay);
}

/** Writes new patients' attributions: touchpoints with every model's weight, the plain-language view, revenue by level and by day. */
export async function insertPatientAttributions(client: pg.PoolClient, practiceId: string, patients: readonly PatientAttribution[]): Promise<void> {
  for (let from = 0; from < patients.length; from += 2_000) {
    const chunk = patients.slice(from, from + 2_000);
    await client.query(
      `INSERT INTO patient_attributions (patient_id, practice_id, first_visit_on, location_id, primary_channel, touchpoints, primary_contributing,
         production_level1_cents, production_level2_cents, production_level3_cents, collections_level1_cents, collections_level2_cents, revenue_days)
       SELECT u.patient_id, $1::uuid, u.first_visit_on, u.location_id, u.primary_channel, u.touchpoints, u.primary_contributing,
              u.p1, u.p2, u.p3, u.c1, u.c2, u.revenue_days
         FROM unnest($2::uuid[], $3::date[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::jsonb[])
              AS u(patient_id, first_visit_on, location_id, primary_channel, touchpoints, primary_contributing, p1, p2, p3, c1, c2, revenue_days)`,
      [
        practiceId,
        chunk.map((p) => p.patientId),
        chunk.map((p) => isoDateOfDay(p.firstVisitDay)),
        chunk.map((p) => p.locationId),
        chunk.map((p) => p.primaryAndContributing.primary?.channel ?? 'unattributed'),
        chunk.map((p) =>
          JSON.stringify(
            p.touchpoints.map((t, i): StoredTouchpoint => ({
              id: t.id, origin: t.origin, channel: t.channel, campaign: t.campaign, adGroup: t.adGroup, keyword: t.keyword,
              day: isoDateOfDay(t.day), daysBeforeFirstVisit: t.daysBeforeFirstVisit,
              credits: Object.fromEntries(Object.entries(p.credits).map(([model, weights]) => [model, weights[i]])),
            })),
          ),
        ),
        chunk.map((p) => JSON.stringify(p.primaryAndContributing)),
        chunk.map((p) => p.revenueTotals.productionLevel1Cents),
        chunk.map((p) => p.revenueTotals.productionLevel2Cents),
        chunk.map((p) => p.revenueTotals.productionLevel3Cents),
        chunk.map((p) => p.revenueTotals.collectionsLevel1Cents),
        chunk.map((p) => p.revenueTotals.collectionsLevel2Cents),
        chunk.map((p) => JSON.stringify(storedRevenueDays(p.revenue))),
      ],
    );
  }
}

interface StoredContribution {
  patientId: string;
  firstVisitOn: string;
  locationId: string | null;
  touchpoints: StoredTouchpoint[];
  revenueDays: StoredRevenueDay[] | null;
}

/**
 * The rollup rows the stored attributions of these patients added: each rebuilt from its touchpoints' weights (JSON
 * keeps every double exactly) and its revenue by day, and split again exactly as the run that stored it split it.
 */
export async function storedPatientRollupRows(client: pg.PoolClient, practiceId: string, patientIds: readonly string[]): Promise<RollupRow[]> {
  const { rows } = await client.query<StoredContribution>(
    `SELECT patient_id AS "patientId", first_visit_on::text AS "firstVisitOn", location_id AS "locationId", touchpoints, revenue_days AS "revenueDays"
       FROM patient_attributions WHERE practice_id = $1 AND patient_id = ANY($2::uuid[])`,
    [practiceId, patientIds],
  );
  return rows.flatMap((stored) => patientRollupRows(rebuiltContribution(stored)));
}

/** A stored attribution too old to rebuild (written before revenue days were stored): only a full run can replace it. */
export class FullRunNeeded extends Error {
  override name = 'FullRunNeeded';
}

function rebuiltContribution(stored: StoredContribution): PatientContribution {
  if (stored.revenueDays === null) throw new FullRunNeeded(`patient attribution ${stored.patientId} has no revenue days`);
  const firstVisitDay = dayNumberOfDate(stored.firstVisitOn);
  const touchpoints = stored.touchpoints.map(
    (t): Touchpoint => ({ ...t, channel: t.channel as ChannelId, day: dayNumberOfDate(t.day), at: null }),
  );
  const credits = Object.fromEntries(
    attributionModelIds.map((model) => [model, stored.touchpoints.map((t) => t.credits[model] as number)]),
  ) as Record<AttributionModelId, number[]>;
  const days = stored.revenueDays.map(([day, ...cents]) => ({
    day: dayNumberOfDate(day),
    cents: Object.fromEntries(revenueMeasures.map((m, i) => [m, cents[i] as number])) as PatientRevenue['days'][number]['cents'],
  }));
  return { locationId: stored.locationId, firstVisitDay, touchpoints, credits, revenue: { days } };
}

/** The columns an episode is stored with, in order, their SQL types, and which may be null. */
export const EPISODE_COLUMNS = [
  ['episode_id', 'uuid'], ['day', 'date'], ['location_id', 'uuid', 'null'], ['channel', 'text'], ['campaign', 'text', 'null'], ['linked', 'bool'],
] as const;

/** Episodes as columns of values in the order of `EPISODE_COLUMNS`. */
export function episodeColumns(episodes: readonly LeadEpisode[]): unknown[][] {
  return [
    episodes.map((e) => e.episodeId), episodes.map((e) => isoDateOfDay(e.day)), episodes.map((e) => e.locationId),
    episodes.map((e) => e.channel), episodes.map((e) => e.campaign), episodes.map((e) => e.linked),
  ];
}

/** The rollup rows the stored episodes among these added. */
export async function storedEpisodeRollupRows(client: pg.PoolClient, practiceId: string, episodeIds: readonly string[]): Promise<RollupRow[]> {
  const { rows } = await client.query<{ episodeId: string; day: string; locationId: string | null; channel: ChannelId; campaign: string | null; linked: boolean }>(
    `SELECT episode_id AS "episodeId", day::text, location_id AS "locationId", channel, campaign, linked
       FROM attribution_episodes WHERE practice_id = $1 AND episode_id = ANY($2::uuid[])`,
    [practiceId, episodeIds],
  );
  return rows.flatMap((e) => episodeRollupRows({ ...e, day: dayNumberOfDate(e.day), firstLeadId: e.episodeId, leadIds: [] }));
}
