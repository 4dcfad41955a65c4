import { randomUUID } from 'node:crypto';
import { attributePractice } from '../attribution/engine.ts';
import { runAttribution, type AttributionRunSummary } from '../attribution/practice/attribute-practice.ts';
import { noteFullRunDue } from '../attribution/practice/attribution-changes.ts';
import { readAttributionInputs } from '../attribution/practice/attribution-inputs.ts';
import { seededRandom } from '../attribution/seeded-random.ts';
import { syntheticPractice } from '../attribution/testing.ts';
import { withSystem, withTenantClient } from '../db/tenant-transaction.ts';
import { startBenchPlatform, type BenchPlatform } from './bench-platform.ts';

const BATCH = 20_000;

/**
 * `pnpm bench attribution [patients] [changes]`: attribution as the platform runs it, on a synthetic practice stored
 * in PostgreSQL (`syntheticPractice`: about 1.6 linked leads, 2.4 unconverted leads and 6 procedures per new patient,
 * written straight into the record tables, not through a connector): one full run, then runs after single changes —
 * a new lead linked to a patient, a procedure on a chart — each recomputing only what changed; checks that the rollups
 * then equal a recompute of the whole practice with the stored fit; and ends with a second full run, the nightly refit.
 */
export async function benchAttribution(args: string[]): Promise<void> {
  const patients = Number(args[0] ?? 20_000);
  const changes = Number(args[1] ?? 100);
  const platform = await startBenchPlatform();
  try {
    const loadStarted = performance.now();
    const stored = await loadSyntheticPractice(platform, patients);
    console.log(`loaded ${stored.counts} in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    await platform.db.owner.query('VACUUM ANALYZE');

    const full = await runAttribution(platform, platform.practiceId);
    if (full.mode !== 'full') throw new Error(`the first run should be a full one, got ${full.mode}`);
    console.log(`full run: ${(full.durationMs / 1000).toFixed(2)} s (${full.newPatients} new patients, ${full.episodesRecomputed} lead episodes, ${full.rollupRows} rollup rows)`);
    await platform.db.owner.query('VACUUM ANALYZE');

    const random = seededRandom(11);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
    const timed = async (label: string, change: () => Promise<void>) => {
      const runs: AttributionRunSummary[] = [];
      for (let i = 0; i < changes; i += 1) {
        await change();
        const run = await runAttribution(platform, platform.practiceId);
        if (run.mode !== 'changes') throw new Error(`${label}: expected a run over the change, got ${run.mode}`);
        runs.push(run);
      }
      const ms = runs.map((r) => r.durationMs).sort((a, b) => a - b);
      const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
      console.log(`${label}: ${changes} runs, each p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms (read, recompute, write the difference, commit)`);
    };
    await timed('a new lead linked to a patient', async () => {
      const patient = pick(stored.newPatients);
      await withSystem(platform.db.owner, async (c) => {
        const lead = (await c.query<{ id: string }>(
          `INSERT INTO leads (practice_id, connection_id, source_id, content_hash, occurred_at, kind, classified_channel, campaign)
           VALUES ($1, $2, $3, '\\x01', $4::date - 9 + interval '10 hours', 'call', 'paid-search', 'Implants – Search') RETURNING id`,
          [platform.practiceId, stored.calls, `late-${randomUUID()}`, patient.firstVisitOn],
        )).rows[0]!.id;
        await c.query(`INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method) VALUES ($1, $2, $3, 'link', 0.93, 'phone')`,
          [lead, patient.id, platform.practiceId]);
      });
    });
    await timed('a procedure on a patient’s chart', async () => {
      const patient = pick(stored.newPatients);
      await withSystem(platform.db.owner, (c) =>
        c.query(
          `INSERT INTO procedures (practice_id, connection_id, source_id, content_hash, patient_source_id, status, performed_on, code, unit_fee_cents, quantity, fee_cents, discount_cents)
           VALUES ($1, $2, $3, '\\x01', $4, 'completed', $5::date + 30, 'D2740', 120000, 1, 120000, 0)`,
          [platform.practiceId, stored.pms, `late-${randomUUID()}`, patient.sourceId, patient.firstVisitOn],
        ),
      );
    });

    const agree = await rollupsEqualRecompute(platform);
    console.log(`rollups after ${2 * changes} runs over changes equal a recompute of the whole practice with the stored fit: ${agree ? 'yes' : 'NO'}`);
    if (!agree) throw new Error('the rollups drifted from a recompute');

    await withSystem(platform.db.owner, (c) => noteFullRunDue(c, platform.practiceId));
    const refit = await runAttribution(platform, platform.practiceId);
    console.log(`full run again, as the nightly refit (it rewrites only the rows that moved): ${(refit.durationMs / 1000).toFixed(2)} s`);
  } finally {
    await platform.close();
  }
}

interface StoredPractice {
  counts: string;
  pms: string;
  calls: string;
  newPatients: { id: string; sourceId: string; firstVisitOn: string }[];
}

/** Writes `syntheticPractice` into the record tables in batches (ids become uuids; an episode is its first lead's). */
async function loadSyntheticPractice(platform: BenchPlatform, patients: number): Promise<StoredPractice> {
  const { practiceId } = platform;
  const input = syntheticPractice({ patients, seed: 7 });
  const cipher = await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (c) => platform.keys.cipherForClient(c, practiceId));
  const leadIds = new Map(input.leads.map((lead) => [lead.id, randomUUID()]));
  return withSystem(platform.db.owner, async (c) => {
    const connection = async (connectorId: string) =>
      (await c.query<{ id: string }>(`INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, $2, $2, '\\x00') RETURNING id`, [practiceId, connectorId]))
        .rows[0]!.id;
    const pms = await connection('open-dental');
    const calls = await connection('callrail');
    const inBatches = async <T>(rows: readonly T[], write: (batch: readonly T[]) => Promise<unknown>) => {
      for (let i = 0; i < rows.length; i += BATCH) await write(rows.slice(i, i + BATCH));
    };
    const patientIds = new Map<string, string>();
    await inBatches(input.patients, async (batch) => {
      const { rows } = await c.query<{ id: string; source_id: string }>(
        `INSERT INTO patients (practice_id, connection_id, source_id, content_hash, gender, status, first_visit_on, created_on)
         SELECT $1, $2, u.source_id, '\\x01', 'unknown', 'active', u.first_visit_on, u.created_on FROM unnest($3::text[], $4::date[], $5::date[]) AS u(source_id, first_visit_on, created_on)
         RETURNING id, source_id`,
        [practiceId, pms, batch.map((p) => p.id), batch.map((p) => p.firstVisitOn), batch.map((p) => p.createdOn)],
      );
      for (const row of rows) patientIds.set(row.source_id, row.id);
    });
    await inBatches(input.leads, (batch) =>
      c.query(
        `INSERT INTO leads (id, practice_id, connection_id, source_id, content_hash, occurred_at, kind, classified_channel, campaign, ad_group, keyword, episode_id)
         SELECT u.id, $1, $2, u.source_id, '\\x01', u.occurred_at, 'call', u.channel, u.campaign, u.ad_group, u.keyword, u.episode_id
           FROM unnest($3::uuid[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[])
                AS u(id, source_id, occurred_at, channel, campaign, ad_group, keyword, episode_id)`,
        [practiceId, calls, batch.map((l) => leadIds.get(l.id)), batch.map((l) => l.id), batch.map((l) => l.occurredAt), batch.map((l) => l.channel),
          batch.map((l) => l.campaign), batch.map((l) => l.adGroup), batch.map((l) => l.keyword), batch.map((l) => leadIds.get(l.episodeId ?? l.id))],
      ),
    );
    await inBatches(input.links, (batch) =>
      c.query(
        `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method)
         SELECT u.lead_id, u.patient_id, $1, 'link', u.confidence, u.method FROM unnest($2::uuid[], $3::uuid[], $4::float8[], $5::text[]) AS u(lead_id, patient_id, confidence, method)`,
        [practiceId, batch.map((l) => leadIds.get(l.leadId)), batch.map((l) => patientIds.get(l.patientId)), batch.map((l) => l.confidence), batch.map((l) => l.method)],
      ),
    );
    await inBatches(input.procedures, (batch) =>
      c.query(
        `INSERT INTO procedures (practice_id, connection_id, source_id, content_hash, patient_source_id, status, performed_on, code, unit_fee_cents, quantity, fee_cents, discount_cents)
         SELECT $1, $2, u.source_id, '\\x01', u.patient, u.status, u.performed_on, u.code, u.fee, 1, u.fee, 0
           FROM unnest($3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::int8[]) AS u(source_id, patient, status, performed_on, code, fee)`,
        [practiceId, pms, batch.map((p) => p.id), batch.map((p) => p.patientId), batch.map((p) => p.status), batch.map((p) => p.performedOn), batch.map((p) => p.code), batch.map((p) => p.feeCents)],
      ),
    );
    await inBatches(input.payments, (batch) =>
      c.query(
        `INSERT INTO payments (practice_id, connection_id, source_id, content_hash, patient_source_id, payer, amount_cents, paid_on)
         SELECT $1, $2, u.source_id, '\\x01', u.patient, 'patient', u.amount, u.paid_on FROM unnest($3::text[], $4::text[], $5::int8[], $6::date[]) AS u(source_id, patient, amount, paid_on)`,
        [practiceId, pms, batch.map((p) => p.id), batch.map((p) => p.patientId), batch.map((p) => p.amountCents), batch.map((p) => p.paidOn)],
      ),
    );
    await inBatches(input.referralSources, (batch) =>
      c.query(
        `INSERT INTO referral_sources (practice_id, connection_id, source_id, content_hash, patient_source_id, source_name, source_kind, rank)
         SELECT $1, $2, u.source_id, '\\x01', u.patient, u.name, u.kind, u.rank FROM unnest($3::text[], $4::text[], $5::bytea[], $6::text[], $7::int4[]) AS u(source_id, patient, name, kind, rank)`,
        [practiceId, pms, batch.map((r) => r.id), batch.map((r) => r.patientId), batch.map((r) => cipher.encrypt('referral-source.sourceName', r.sourceName)),
          batch.map((r) => r.sourceKind), batch.map((r) => r.rank)],
      ),
    );
    return {
      counts: `${input.patients.length} charts, ${input.leads.length} leads, ${input.links.length} links, ${input.procedures.length} procedures, ` +
        `${input.payments.length} payments, ${input.referralSources.length} referral sources`,
      pms,
      calls,
      newPatients: input.patients.filter((p) => p.firstVisitOn !== null).map((p) => ({ id: patientIds.get(p.id)!, sourceId: p.id, firstVisitOn: p.firstVisitOn! })),
    };
  });
}

/** The stored rollups equal those of the whole practice recomputed in memory with the stored fit and settings. */
async function rollupsEqualRecompute(platform: BenchPlatform): Promise<boolean> {
  const { practiceId } = platform;
  return withTenantClient(platform.db.app, { practiceIds: [practiceId] }, async (client) => {
    const input = await readAttributionInputs(client, await platform.keys.cipherForClient(client, practiceId));
    const run = (await client.query('SELECT markov, settings FROM attribution_runs WHERE practice_id = $1', [practiceId])).rows[0];
    const line = (r: Record<string, unknown>) => JSON.stringify(Object.values(r));
    const expected = attributePractice({ ...input, settings: run.settings, markovFit: run.markov }).rollups
      .map((r) => line({ model: r.model, day: r.day, locationId: r.locationId, channel: r.channel, campaign: r.campaign, leads: r.leads, linkedLeads: r.linkedLeads,
        newPatients: r.newPatients, credited: r.creditedPatientMillionths, p1: r.productionLevel1Cents, p2: r.productionLevel2Cents, p3: r.productionLevel3Cents,
        c1: r.collectionsLevel1Cents, c2: r.collectionsLevel2Cents }))
      .sort();
    const { rows } = await client.query(
      `SELECT model, day::text, location_id AS "locationId", channel, campaign, leads::float8, linked_leads::float8, new_patients::float8,
              credited_patient_millionths::float8, production_level1_cents::float8, production_level2_cents::float8, production_level3_cents::float8,
              collections_level1_cents::float8, collections_level2_cents::float8
         FROM attribution_rollups WHERE practice_id = $1`,
      [practiceId],
    );
    const actual = rows.map(line).sort();
    return JSON.stringify(actual) === JSON.stringify(expected);
  });
}
