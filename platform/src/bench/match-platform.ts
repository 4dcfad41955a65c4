import { withSystem, withTenantClient } from '../db/tenant-transaction.ts';
import { leadIdentifierKeys } from '../leads/lead-identifier-keys.ts';
import { matchPendingRecords, matchPracticeFully } from '../matching/practice/match-practice.ts';
import type { LeadInput, PatientInput } from '../matching/records.ts';
import { chartRecord, leadRecord } from '../matching/testing.ts';
import { upsertRecords, type RecordTarget } from '../records/write-records.ts';
import { startBenchPlatform } from './bench-platform.ts';
import { resetStatementStats, STATEMENT_STATS_SETTINGS, statementStatsWanted, statementTotals, topStatements } from './statement-stats.ts';

const BATCH = 2_000;

/**
 * Matching as the platform runs it, on the dev set stored encrypted in PostgreSQL: the full run (decrypt, match,
 * write keys and links), then leads that arrive one at a time, each matched incrementally against the blind-index
 * tables — the latency a new lead waits for its links, database round trips and writes included.
 */
export async function benchPlatformMatching(
  patients: readonly PatientInput[],
  leads: readonly LeadInput[],
  heldOut: number,
  /** Scores the full run's links, by source ids (the dev set's own ids). */
  score: (links: string[][]) => void,
): Promise<void> {
  const statementStats = statementStatsWanted();
  const platform = await startBenchPlatform({ settings: statementStats ? STATEMENT_STATS_SETTINGS : {} });
  try {
    const { practiceId } = platform;
    const connection = (connectorId: string) =>
      withSystem(platform.db.owner, async (c) =>
        (await c.query<{ id: string }>(`INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, $2, $2, '\\x00') RETURNING id`, [practiceId, connectorId]))
          .rows[0]!.id,
      );
    const pms: RecordTarget = { practiceId, connectionId: await connection('open-dental') };
    const calls: RecordTarget = { practiceId, connectionId: await connection('callrail') };
    const scope = { practiceIds: [practiceId] };
    const cipher = await withTenantClient(platform.db.app, scope, (c) => platform.keys.cipherForClient(c, practiceId));
    const land = (target: RecordTarget, records: { patients?: PatientInput[]; leads?: LeadInput[] }) =>
      withTenantClient(platform.db.app, scope, (client) =>
        records.patients
          ? upsertRecords(client, target, cipher, 'patient', records.patients.map(chartRecord))
          : upsertRecords(client, target, cipher, 'lead', records.leads!.map(leadRecord), leadIdentifierKeys),
      );

    const sorted = [...leads].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    const initial = sorted.slice(0, sorted.length - heldOut);
    const late = sorted.slice(sorted.length - heldOut);
    for (let i = 0; i < patients.length; i += BATCH) {
      await land(pms, { patients: patients.slice(i, i + BATCH) });
    }
    for (let i = 0; i < initial.length; i += BATCH) {
      await land(calls, { leads: initial.slice(i, i + BATCH) });
    }

    const full = await matchPracticeFully(platform, practiceId);
    console.log(
      `platform full run (${full.charts} charts, ${full.leads} leads stored encrypted): ${(full.durationMs / 1000).toFixed(2)} s ` +
        `(${full.links} links, ${full.review} for review)`,
    );

    // Statistics, as autovacuum gathers them within a minute of a bulk load: plans change with them (migration 0018).
    await platform.db.owner.query('ANALYZE');
    const storedLinks = () =>
      withSystem(platform.db.owner, async (c) =>
        (await c.query<{ lead: string; patient: string; confidence: number; method: string }>(
          `SELECT l.source_id AS lead, p.source_id AS patient, m.confidence, m.method
             FROM lead_matches m JOIN leads l ON l.id = m.lead_id JOIN patients p ON p.id = m.patient_id
            WHERE m.practice_id = $1 AND m.decision = 'link'`,
          [practiceId],
        )).rows,
      );
    const stored = await storedLinks();
    // Open Dental records when a chart was opened as a date, so the platform reads the dev set's opening times as days.
    console.log('platform full run, scored (charts opened on a date, as Open Dental records them; the held-out leads are missing):');
    score(stored.map((r) => [r.lead, r.patient, r.confidence.toFixed(4), r.method]));

    // A practice connected before these charts were opened: each arrived through the regular 15-minute syncs, first
    // seen within one interval of its opening (a fixed spread per chart), and the matcher reads that instant.
    await withSystem(platform.db.owner, async (c) => {
      await c.query(`UPDATE connections SET created_at = '2000-01-01T00:00:00Z' WHERE id = $1`, [pms.connectionId]);
      await c.query(
        `UPDATE patients p SET first_seen_at = d.at + make_interval(secs => 30 + abs(hashtext(p.source_id)) % 870)
           FROM unnest($2::text[], $3::timestamptz[]) AS d(id, at) WHERE p.connection_id = $1 AND p.source_id = d.id`,
        [pms.connectionId, patients.map((p) => p.id), patients.map((p) => p.createdAt)],
      );
    });
    await matchPracticeFully(platform, practiceId);
    console.log('platform full run, scored again as if each chart had arrived through the regular syncs (opening times read from when first seen):');
    score((await storedLinks()).map((r) => [r.lead, r.patient, r.confidence.toFixed(4), r.method]));

    // Steady state: autovacuum also vacuums freshly written tables within a minute (inserts alone start it), and the
    // second full run rewrote every chart's keys. New leads arrive later than that.
    await platform.db.owner.query('VACUUM ANALYZE');
    if (statementStats) await resetStatementStats(platform.db.owner);
    const latencies: number[] = [];
    for (const lead of late) {
      await land(calls, { leads: [lead] });
      const started = performance.now();
      const run = await matchPendingRecords(platform, practiceId);
      latencies.push(performance.now() - started);
      if (run === 'needs-full-run' || run.leads !== 1) throw new Error(`one new lead should be matched incrementally, got ${JSON.stringify(run)}`);
    }
    if (statementStats) {
      // The new leads' own arrival (`land`) is counted too: its statements are listed apart.
      const { planMs, execMs } = await statementTotals(platform.db.owner);
      console.log(`PostgreSQL over the ${late.length} new leads, each stored then matched: planning ${(planMs / late.length).toFixed(2)} ms, running ${(execMs / late.length).toFixed(2)} ms a lead; by statement:`);
      for (const line of await topStatements(platform.db.owner, 25)) console.log(`  ${line}`);
    }
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    console.log(
      `platform incremental match of ${late.length} new leads, one at a time (read, score, write, in PostgreSQL): ` +
        `p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${p(1).toFixed(1)} ms`,
    );
  } finally {
    await platform.close();
  }
}
