import type pg from 'pg';
import { recordAuditEventWithClient } from '../../audit/record-audit-event.ts';
import { withSystem, withTenantClient } from '../../db/tenant-transaction.ts';
import type { Platform } from '../../platform.ts';
import { attributePractice, type PracticeAttribution } from '../engine.ts';
import { isoDateOfDay } from '../local-day.ts';
import { readAgencyPaths, readAttributionInputs } from './attribution-inputs.ts';
import { readAttributionSettings } from './attribution-settings-store.ts';

export interface AttributionRunSummary {
  newPatients: number;
  rollupRows: number;
  durationMs: number;
}

/** The practices of the practice's agency: the scope its run reads in (its own records, and the agency's journeys). */
async function agencyPracticeIds(platform: Platform, practiceId: string): Promise<string[]> {
  return withSystem(platform.db.owner, async (client) =>
    (await client.query<{ id: string }>('SELECT other.id FROM practices mine JOIN practices other ON other.agency_id = mine.agency_id WHERE mine.id = $1', [practiceId])).rows.map(
      (r) => r.id,
    ),
  );
}

/**
 * Attributes a practice from its stored records and links, and replaces what the last run stored: every new patient's
 * touchpoints and credits, the rollups, and the Markov fit with the journeys it was fitted on. One transaction per
 * side: dashboards see the last run or this one, never half of each.
 */
export async function attributeStoredPractice(platform: Platform, practiceId: string): Promise<AttributionRunSummary> {
  const started = performance.now();
  const { input, settings } = await withTenantClient(platform.db.app, { practiceIds: await agencyPracticeIds(platform, practiceId) }, async (client) => {
    const cipher = await platform.keys.cipherForClient(client, practiceId);
    return {
      input: { ...(await readAttributionInputs(client, cipher)), agencyPaths: await readAgencyPaths(client, practiceId) },
      settings: await readAttributionSettings(client, practiceId),
    };
  });
  const result = attributePractice({ ...input, settings });
  const summary = { newPatients: result.patients.length, rollupRows: result.rollups.length, durationMs: 0 };
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('attribution:' || $1))`, [practiceId]);
    await replacePatientAttributions(client, practiceId, result);
    await replaceRollups(client, practiceId, result);
    summary.durationMs = Math.round(performance.now() - started);
    const { shares: _shares, ...markov } = result.markov;
    await client.query(
      `INSERT INTO attribution_runs (practice_id, markov, paths, settings, new_patients, rollup_rows, duration_ms, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (practice_id) DO UPDATE SET markov = EXCLUDED.markov, paths = EXCLUDED.paths, settings = EXCLUDED.settings,
         new_patients = EXCLUDED.new_patients, rollup_rows = EXCLUDED.rollup_rows, duration_ms = EXCLUDED.duration_ms, computed_at = now()`,
      [practiceId, JSON.stringify(markov), JSON.stringify(result.paths), JSON.stringify(result.settings), summary.newPatients, summary.rollupRows, summary.durationMs],
    );
    await recordAuditEventWithClient(client, {
      action: 'attribution.run',
      practiceId,
      actor: { label: 'worker' },
      details: { newPatients: summary.newPatients, rollupRows: summary.rollupRows },
    });
  });
  return summary;
}

async function replacePatientAttributions(client: pg.PoolClient, practiceId: string, result: PracticeAttribution): Promise<void> {
  await client.query('DELETE FROM patient_attributions WHERE practice_id = $1', [practiceId]);
  for (let from = 0; from < result.patients.length; from += 2_000) {
    const chunk = result.patients.slice(from, from + 2_000);
    await client.query(
      `INSERT INTO patient_attributions (patient_id, practice_id, first_visit_on, location_id, primary_channel, touchpoints, primary_contributing,
         production_level1_cents, production_level2_cents, production_level3_cents, collections_level1_cents, collections_level2_cents)
       SELECT u.patient_id, $1::uuid, u.first_visit_on, u.location_id, u.primary_channel, u.touchpoints, u.primary_contributing,
              u.p1, u.p2, u.p3, u.c1, u.c2
         FROM unnest($2::uuid[], $3::date[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::int8[])
              AS u(patient_id, first_visit_on, location_id, primary_channel, touchpoints, primary_contributing, p1, p2, p3, c1, c2)`,
      [
        practiceId,
        chunk.map((p) => p.patientId),
        chunk.map((p) => isoDateOfDay(p.firstVisitDay)),
        chunk.map((p) => p.locationId),
        chunk.map((p) => p.primaryAndContributing.primary?.channel ?? 'unattributed'),
        chunk.map((p) =>
          JSON.stringify(
            p.touchpoints.map((t, i) => ({
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
      ],
    );
  }
}

const ROLLUP_MEASURES = [
  'leads', 'linked_leads', 'new_patients', 'credited_patient_millionths', 'production_level1_cents', 'production_level2_cents',
  'production_level3_cents', 'collections_level1_cents', 'collections_level2_cents',
] as const;

/**
 * A stored rollup row and a fresh one are the same row: same key, same measures. Every comparison is a plain equality
 * (nullable keys compared through coalesce, with their nullness), so PostgreSQL hashes both sides rather than
 * comparing every pair.
 */
const SAME_ROLLUP = [
  'r.model = f.model', 'r.day = f.day', 'r.channel = f.channel',
  `coalesce(r.location_id, '00000000-0000-0000-0000-000000000000') = coalesce(f.location_id, '00000000-0000-0000-0000-000000000000')`,
  `coalesce(r.campaign, '') = coalesce(f.campaign, '')`, '(r.campaign IS NULL) = (f.campaign IS NULL)',
  ...ROLLUP_MEASURES.map((m) => `r.${m} = f.${m}`),
].join(' AND ');

/**
 * Writes the run's rollups as a difference from the stored ones: unchanged rows stay where they are, changed and
 * vanished rows are deleted, new and changed rows inserted. A run that changes little writes little, and the pages
 * of unchanged rows stay all-visible, so the dashboards' index-only scans do not turn into heap reads after each run.
 */
async function replaceRollups(client: pg.PoolClient, practiceId: string, result: PracticeAttribution): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE fresh_rollups ON COMMIT DROP AS
       SELECT model, day, location_id, channel, campaign, ${ROLLUP_MEASURES.join(', ')} FROM attribution_rollups WITH NO DATA`,
  );
  for (let from = 0; from < result.rollups.length; from += 5_000) {
    const rows = result.rollups.slice(from, from + 5_000);
    await client.query(
      `INSERT INTO fresh_rollups
       SELECT * FROM unnest($1::text[], $2::date[], $3::uuid[], $4::text[], $5::text[], $6::int8[], $7::int8[], $8::int8[],
                            $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::int8[], $14::int8[])`,
      [
        rows.map((r) => r.model),
        rows.map((r) => r.day),
        rows.map((r) => r.locationId),
        rows.map((r) => r.channel),
        rows.map((r) => r.campaign),
        rows.map((r) => r.leads),
        rows.map((r) => r.linkedLeads),
        rows.map((r) => r.newPatients),
        rows.map((r) => r.creditedPatientMillionths),
        rows.map((r) => r.productionLevel1Cents),
        rows.map((r) => r.productionLevel2Cents),
        rows.map((r) => r.productionLevel3Cents),
        rows.map((r) => r.collectionsLevel1Cents),
        rows.map((r) => r.collectionsLevel2Cents),
      ],
    );
  }
  await client.query('ANALYZE fresh_rollups');
  await client.query(
    `DELETE FROM attribution_rollups r WHERE r.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM fresh_rollups f WHERE ${SAME_ROLLUP})`,
    [practiceId],
  );
  await client.query(
    `INSERT INTO attribution_rollups (practice_id, model, day, location_id, channel, campaign, ${ROLLUP_MEASURES.join(', ')})
     SELECT $1, f.* FROM fresh_rollups f
      WHERE NOT EXISTS (SELECT 1 FROM attribution_rollups r WHERE r.practice_id = $1 AND ${SAME_ROLLUP})`,
    [practiceId],
  );
}
