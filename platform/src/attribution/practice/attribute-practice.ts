import type pg from 'pg';
import { recordAuditEventWithClient } from '../../audit/record-audit-event.ts';
import { withSystem, withTenantClient } from '../../db/tenant-transaction.ts';
import type { Platform } from '../../platform.ts';
import type { AttributionSettingsInput } from '../attribution-settings.ts';
import { attributePractice } from '../engine.ts';
import type { StoredMarkovFit } from '../markov.ts';
import { episodeRollupRows, patientRollupRows, rollupDelta } from '../rollups.ts';
import { clearPendingChanges, readPendingChanges, type PendingChanges } from './attribution-changes.ts';
import { readAgencyPaths, readAttributionInputs } from './attribution-inputs.ts';
import { readAttributionSettings } from './attribution-settings-store.ts';
import { addRollupDelta, insertRows, replaceByDifference, replaceRollups } from './rollup-writes.ts';
import { EPISODE_COLUMNS, episodeColumns, FullRunNeeded, insertPatientAttributions, storedEpisodeRollupRows, storedPatientRollupRows } from './stored-contributions.ts';

export interface AttributionRunSummary {
  /**
   * `full`: every new patient and episode, the Markov chain refitted; `changes`: only what changed, with the stored
   * fit; `unchanged`: nothing was noted since the last run.
   */
  mode: 'full' | 'changes' | 'unchanged';
  newPatients: number;
  /** Of a `changes` run: the new patients and lead episodes it recomputed. */
  patientsRecomputed: number;
  episodesRecomputed: number;
  rollupRows: number;
  durationMs: number;
}

/** A run recomputes only what changed unless that is more than this share of the practice's new patients (or 2,000). */
const CHANGES_RUN_SHARE = 0.25;
const CHANGES_RUN_MINIMUM = 2_000;

/**
 * The practice's attribution brought up to date: a run over what changed since the last, or a full run when one is
 * due (none yet, settings or the like changed, the nightly refit, or so much changed that recomputing all is cheaper).
 */
export async function runAttribution(platform: Platform, practiceId: string): Promise<AttributionRunSummary> {
  const started = performance.now();
  const { pending, run } = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => ({
    pending: await readPendingChanges(client, practiceId),
    run: (await client.query<StoredRun>('SELECT markov, settings, new_patients AS "newPatients" FROM attribution_runs WHERE practice_id = $1', [practiceId])).rows[0],
  }));
  if (!run || pending.whole || pending.patientIds.length + pending.episodeIds.length > Math.max(CHANGES_RUN_MINIMUM, run.newPatients * CHANGES_RUN_SHARE)) {
    return attributeStoredPractice(platform, practiceId);
  }
  if (pending.ids.length === 0) {
    return { mode: 'unchanged', newPatients: run.newPatients, patientsRecomputed: 0, episodesRecomputed: 0, rollupRows: 0, durationMs: Math.round(performance.now() - started) };
  }
  try {
    return await attributeChanges(platform, practiceId, pending, run, started);
  } catch (error) {
    if (!(error instanceof FullRunNeeded)) throw error;
    return attributeStoredPractice(platform, practiceId);
  }
}

interface StoredRun {
  markov: StoredMarkovFit;
  settings: AttributionSettingsInput;
  newPatients: number;
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
 * Attributes a practice in full from its stored records and links, refitting the Markov chain, and replaces what the
 * last run stored: every new patient's touchpoints and credits, the lead episodes, the rollups, and the fit with the
 * journeys it was fitted on. One transaction per side: dashboards see the last run or this one, never half of each.
 */
export async function attributeStoredPractice(platform: Platform, practiceId: string): Promise<AttributionRunSummary> {
  const started = performance.now();
  const { input, settings, pending } = await withTenantClient(platform.db.app, { practiceIds: await agencyPracticeIds(platform, practiceId) }, async (client) => {
    // Read before the records: a change noted after this is either in what is read next or left for the next run.
    const pending = await readPendingChanges(client, practiceId);
    const cipher = await platform.keys.cipherForClient(client, practiceId);
    return {
      pending,
      input: { ...(await readAttributionInputs(client, cipher)), agencyPaths: await readAgencyPaths(client, practiceId) },
      settings: await readAttributionSettings(client, practiceId),
    };
  });
  const result = attributePractice({ ...input, settings });
  const summary: AttributionRunSummary = {
    mode: 'full', newPatients: result.patients.length, patientsRecomputed: result.patients.length, episodesRecomputed: result.episodes.length,
    rollupRows: result.rollups.length, durationMs: 0,
  };
  await withAttributionLock(platform, practiceId, async (client) => {
    await client.query('DELETE FROM patient_attributions WHERE practice_id = $1', [practiceId]);
    await insertPatientAttributions(client, practiceId, result.patients);
    await replaceByDifference(client, practiceId, 'attribution_episodes', EPISODE_COLUMNS, episodeColumns(result.episodes));
    await replaceRollups(client, practiceId, result.rollups);
    await clearPendingChanges(client, practiceId, pending.ids);
    summary.durationMs = Math.round(performance.now() - started);
    const { shares: _shares, ...markov } = result.markov;
    await client.query(
      `INSERT INTO attribution_runs (practice_id, markov, paths, settings, new_patients, rollup_rows, duration_ms, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (practice_id) DO UPDATE SET markov = EXCLUDED.markov, paths = EXCLUDED.paths, settings = EXCLUDED.settings,
         new_patients = EXCLUDED.new_patients, rollup_rows = EXCLUDED.rollup_rows, duration_ms = EXCLUDED.duration_ms, computed_at = now()`,
      [practiceId, JSON.stringify(markov), JSON.stringify(result.paths), JSON.stringify(result.settings), summary.newPatients, summary.rollupRows, summary.durationMs],
    );
    await auditRun(client, practiceId, summary);
  });
  return summary;
}

/**
 * Recomputes the new patients and lead episodes that changed, with the Markov fit and settings of the last full run
 * (exactly what a full run with that fit would give them), and adds the difference their rows make to the rollups.
 * The stored fit and its journeys stay as they are until the next full run.
 */
async function attributeChanges(platform: Platform, practiceId: string, pending: PendingChanges, run: StoredRun, started: number): Promise<AttributionRunSummary> {
  const input = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) =>
    readAttributionInputs(client, await platform.keys.cipherForClient(client, practiceId), pending),
  );
  const result = attributePractice({ ...input, settings: run.settings, markovFit: run.markov });
  const changedEpisodes = new Set(pending.episodeIds);
  const episodes = result.episodes.filter((episode) => changedEpisodes.has(episode.episodeId));
  const summary: AttributionRunSummary = {
    mode: 'changes', newPatients: run.newPatients, patientsRecomputed: pending.patientIds.length, episodesRecomputed: pending.episodeIds.length,
    rollupRows: 0, durationMs: 0,
  };
  await withAttributionLock(platform, practiceId, async (client) => {
    const previous = [
      ...(await storedPatientRollupRows(client, practiceId, pending.patientIds)),
      ...(await storedEpisodeRollupRows(client, practiceId, pending.episodeIds)),
    ];
    const next = [...result.patients.flatMap((patient) => patientRollupRows(patient)), ...episodes.flatMap((episode) => episodeRollupRows(episode))];
    const delta = rollupDelta(previous, next);
    await addRollupDelta(client, practiceId, delta);
    await client.query('DELETE FROM patient_attributions WHERE practice_id = $1 AND patient_id = ANY($2::uuid[])', [practiceId, pending.patientIds]);
    await insertPatientAttributions(client, practiceId, result.patients);
    await client.query('DELETE FROM attribution_episodes WHERE practice_id = $1 AND episode_id = ANY($2::uuid[])', [practiceId, pending.episodeIds]);
    await insertRows(client, practiceId, 'attribution_episodes', EPISODE_COLUMNS, episodeColumns(episodes));
    await clearPendingChanges(client, practiceId, pending.ids);
    summary.rollupRows = delta.length;
    summary.durationMs = Math.round(performance.now() - started);
    await auditRun(client, practiceId, summary);
  });
  return summary;
}

/** Writes under the practice's attribution lock, in one tenant transaction: one run's writes at a time. */
async function withAttributionLock(platform: Platform, practiceId: string, write: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('attribution:' || $1))`, [practiceId]);
    await write(client);
  });
}

function auditRun(client: pg.PoolClient, practiceId: string, summary: AttributionRunSummary): Promise<unknown> {
  const { mode, newPatients, patientsRecomputed, episodesRecomputed, rollupRows } = summary;
  return recordAuditEventWithClient(client, {
    action: 'attribution.run',
    practiceId,
    actor: { label: 'worker' },
    details: { mode, newPatients, patientsRecomputed, episodesRecomputed, rollupRows },
  });
}
