import type { PoolClient, QueryResult } from 'pg';
import { recordAuditEventWithClient } from '../../audit/record-audit-event.ts';
import type { PracticeCipher } from '../../crypto/practice-keys.ts';
import { execute, sessionStatement } from '../../db/session-statements.ts';
import { sqlLiteral } from '../../db/sql-literal.ts';
import { withTenantClient } from '../../db/tenant-transaction.ts';
import type { Platform } from '../../platform.ts';
import { practiceAreaCode } from '../../tenancy/tenants.ts';
import { HOUSEHOLD_KEY_KINDS } from '../blocking.ts';
import type { ManualDecision } from '../decide.ts';
import { MatchEngine, type MatchSnapshot } from '../engine.ts';
import { FetchedBlocks, matchLeadsFromStore } from '../match-from-store.ts';
import {
  chartsWithKeys,
  keyDigest,
  LEAD_KEYS_STATEMENTS,
  leadKeysStatements,
  leadsWithKeys,
  matchKeyBlinder,
  postgresMatchKeyStore,
  replaceChartKeys,
  storedChartKeys,
  syncChartKeys,
  syncLeadKeys,
} from './match-key-store.ts';
import { LEAD_COLUMNS, openLeads, readCharts, readLeads, type LeadRow } from './match-inputs.ts';
import {
  leadMatchesStatements,
  lockPracticeMatching,
  markMatched,
  markMatchedStatement,
  practiceMatchingLock,
  readVerdicts,
  replaceLeadMatches,
  WRITE_MATCHES_STATEMENTS,
} from './write-matches.ts';

export interface MatchRunSummary {
  mode: 'full' | 'incremental';
  /** Charts and leads read (full) or re-matched (incremental). */
  charts: number;
  leads: number;
  /** Pairs written: links and review-queue pairs. */
  links: number;
  review: number;
  durationMs: number;
}

const scopeOf = (practiceId: string) => ({ practiceIds: [practiceId] });
const WORKER = { label: 'worker' };

/**
 * The full run: every chart and lead of the practice, decrypted, matched with a model fitted to them, and stored —
 * the blind index of every chart's and lead's keys, every link and review pair with its explanation, and the model
 * (for incremental matching until the next full run). Reading and writing are separate transactions around the
 * engine; anything that changed meanwhile stays pending and the next incremental pass takes it.
 */
export async function matchPracticeFully(platform: Platform, practiceId: string): Promise<MatchRunSummary> {
  const started = performance.now();
  const read = await withTenantClient(platform.db.app, scopeOf(practiceId), async (client) => {
    const cipher = await platform.keys.cipherForClient(client, practiceId);
    return {
      charts: await readCharts(client, cipher),
      leads: await readLeads(client, cipher),
      verdicts: await readVerdicts(client, practiceId),
      areaCode: await practiceAreaCode(client, practiceId),
    };
  });
  const engine = MatchEngine.run(
    read.charts.map((c) => c.input),
    read.leads.map((l) => l.input),
    { manualDecisions: read.verdicts, practiceAreaCode: read.areaCode },
  );
  const pairs = [...engine.pairs()];
  const summary: MatchRunSummary = {
    mode: 'full',
    charts: read.charts.length,
    leads: read.leads.length,
    links: pairs.filter((p) => p.decision === 'link').length,
    review: pairs.filter((p) => p.decision === 'review').length,
    durationMs: 0,
  };
  await withTenantClient(platform.db.app, scopeOf(practiceId), async (client) => {
    await lockPracticeMatching(client, practiceId);
    const blind = matchKeyBlinder(await platform.keys.cipherForClient(client, practiceId));
    await syncChartKeys(
      client,
      practiceId,
      read.charts.map(({ input }) => ({ patientId: input.id, keys: engine.chartKeyEntries(input.id).map(({ kind, key }) => ({ kind, key: blind(key) })) })),
    );
    await syncLeadKeys(client, practiceId, read.leads.map(({ input }) => ({ leadId: input.id, keys: engine.leadKeysOf(input).map(blind) })));
    await replaceLeadMatches(client, practiceId, null, pairs, (pair) => engine.explain(pair));
    await markMatched(client, 'patients', read.charts.map((c) => ({ id: c.input.id, state: c.state })));
    await markMatched(client, 'leads', read.leads.map((l) => ({ id: l.input.id, state: l.state })));
    // Withdrawn leads and deleted charts were not read: their links and keys went with everything else's.
    for (const table of ['leads', 'patients']) {
      await client.query(
        `UPDATE ${table} SET match_state = lead_settle_key(content_hash, deleted_at)
          WHERE practice_id = $1 AND match_pending
            AND (deleted_at IS NOT NULL ${table === 'patients' ? "OR status = 'deleted'" : ''})`,
        [practiceId],
      );
    }
    summary.durationMs = Math.round(performance.now() - started);
    await client.query(
      `INSERT INTO match_models (practice_id, snapshot, charts, leads, links, review, duration_ms, fitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (practice_id) DO UPDATE SET snapshot = EXCLUDED.snapshot, charts = EXCLUDED.charts, leads = EXCLUDED.leads,
         links = EXCLUDED.links, review = EXCLUDED.review, duration_ms = EXCLUDED.duration_ms, fitted_at = now(), leads_since = 0, charts_since = 0`,
      [practiceId, JSON.stringify(engine.snapshot()), summary.charts, summary.leads, summary.links, summary.review, summary.durationMs],
    );
    await recordAuditEventWithClient(client, {
      action: 'matching.full_run',
      practiceId,
      actor: WORKER,
      fields: ['patient.name', 'patient.contact', 'lead.name', 'lead.contact'],
      details: { charts: summary.charts, leads: summary.leads, links: summary.links, review: summary.review },
    });
  });
  return summary;
}

export interface IncrementalOptions {
  /** Leads re-matched per transaction. */
  batchSize?: number;
  /** When more charts than this share of the practice (and at least `minCharts`) changed, a full run is cheaper. */
  maxChangedChartShare?: number;
  minCharts?: number;
}

/**
 * Incremental matching with the stored model: charts that changed since they were last matched are re-indexed, and
 * the leads they can affect — those that reach them by their keys, old or new, and those linked to them or to a chart
 * of their household or opened beside them — are matched again together with every new or changed lead, reading only
 * the charts those leads reach. Returns `needs-full-run` when there is no model yet, the practice has outgrown it, or
 * too many charts changed.
 */
export async function matchPendingRecords(
  platform: Platform,
  practiceId: string,
  options: IncrementalOptions = {},
): Promise<MatchRunSummary | 'needs-full-run'> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 500;
  const summary: MatchRunSummary = { mode: 'incremental', charts: 0, leads: 0, links: 0, review: 0, durationMs: 0 };
  for (;;) {
    const opening = incrementalOpening(practiceId, batchSize);
    const outcome = await withTenantClient(platform.db.app, scopeOf(practiceId), async (client, opened) => {
      const { fit, known, keyCount, pending, verdictsOfPending } = opening.read(opened);
      const snapshot = fittedModel(practiceId, fit, known);
      if (!snapshot) return 'needs-full-run' as const;
      const cipher = await platform.keys.cipherForClient(client, practiceId, keyCount);
      const blind = matchKeyBlinder(cipher);

      const { charts, leads } = pending;
      if (charts.length) {
        const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM patients WHERE practice_id = $1 AND deleted_at IS NULL', [practiceId]);
        const limit = Math.max(options.minCharts ?? 200, (options.maxChangedChartShare ?? 0.1) * rows[0]!.n);
        if (charts.length > limit) return 'needs-full-run' as const;
      }
      if (!charts.length && !leads.length) return 'done' as const;

      const affected = charts.length ? await reindexCharts(client, cipher, snapshot, charts) : [];
      const pendingIds = new Set(leads.map((l) => l.id));
      // The pending leads came with the opening; the others a changed chart affects are read now.
      const others = affected.filter((id) => !pendingIds.has(id));
      const leadIds = [...pendingIds, ...others];
      const live = [...openLeads(cipher, leads.filter((l) => !l.withdrawn)), ...(others.length ? await readLeads(client, cipher, others) : [])];
      const verdicts = [...verdictsOfPending.filter((v) => pendingIds.has(v.leadId)), ...(others.length ? await readVerdicts(client, practiceId, others) : [])];
      const blocks = new FetchedBlocks();
      const engine = MatchEngine.resume(snapshot, blocks, { blindKeys: blind, manualDecisions: verdicts });
      const results = await matchLeadsFromStore(engine, blocks, postgresMatchKeyStore(client, cipher), live.map((l) => l.input));
      const pairs = [...results.values()].flat();
      // Every write goes with the COMMIT: one round trip.
      await client.query(
        [
          ...leadMatchesStatements(practiceId, leadIds, pairs, (pair) => engine.explain(pair), verdicts, execute),
          ...leadKeysStatements(
            practiceId,
            live.filter((l) => pendingIds.has(l.input.id)).map((l) => ({ leadId: l.input.id, keys: engine.leadKeysOf(l.input) })),
            [...pendingIds],
            execute,
          ),
          markMatchedStatement('leads', leads, execute),
          execute(COUNT_MATCHED_SINCE_FIT, [sqlLiteral(practiceId), sqlLiteral(leads.length), sqlLiteral(charts.length)]),
          'COMMIT',
        ].join(';\n'),
      );
      summary.charts += charts.length;
      summary.leads += leadIds.length;
      summary.links += pairs.filter((p) => p.decision === 'link').length;
      summary.review += pairs.filter((p) => p.decision === 'review').length;
      return leads.length < batchSize ? ('done' as const) : ('more' as const);
    }, opening.statements, INCREMENTAL_STATEMENTS);
    if (outcome === 'needs-full-run') return outcome;
    if (outcome === 'done') break;
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/**
 * What an incremental pass reads before anything else, sent with its `BEGIN` (`withTenantClient`'s `opening`), so the
 * six cost one round trip (after a setting for its prepared reads): the practice's matching lock, then its fitted
 * model (the snapshot only when it is not the one kept in memory), its data-key count for the cipher, the pending
 * charts, the next batch of pending leads with their sealed fields, and the verdicts on pending leads.
 */
function incrementalOpening(practiceId: string, leadBatch: number) {
  const practice = sqlLiteral(practiceId);
  const known = fittedSnapshots.get(practiceId);
  const statements = [
    // Generic plans for every prepared statement of the pass: left to choose, PostgreSQL planned the key store's read
    // of charts afresh at every call (0.7 ms, against 0.1 to run it), its generic plan estimating more ids than a pass
    // asks for; the pass's other statements are lookups and writes by key, whose generic plans are the same.
    'SET LOCAL plan_cache_mode = force_generic_plan',
    practiceMatchingLock(practiceId),
    execute(FITTED_MODEL, [practice, sqlLiteral(known?.fittedAt ?? null)]),
    execute(DATA_KEY_COUNT, [practice]),
    execute(PENDING_CHARTS, [practice]),
    execute(PENDING_LEADS, [practice, sqlLiteral(leadBatch)]),
    execute(VERDICTS_OF_PENDING, [practice]),
  ];
  const read = (opened: readonly QueryResult[]) => {
    const [, , fit, keys, charts, leads, verdicts] = opened as [
      QueryResult,
      QueryResult,
      QueryResult<{ fittedAt: string; snapshot: MatchSnapshot | null } & FitSize>,
      QueryResult<{ n: number }>,
      QueryResult<{ id: string; state: Buffer }>,
      QueryResult<LeadRow & { withdrawn: boolean }>,
      QueryResult<ManualDecision>,
    ];
    return {
      fit: fit.rows[0],
      known,
      keyCount: keys.rows[0]!.n,
      pending: { charts: charts.rows, leads: leads.rows },
      verdictsOfPending: verdicts.rows,
    };
  };
  return { statements, read };
}

// In microseconds, as stored: a Date would round them away and never match.
const FITTED_MODEL = sessionStatement(
  'match_fitted_model',
  ['uuid', 'text'],
  `SELECT fitted.at AS "fittedAt", CASE WHEN fitted.at = $2 THEN NULL ELSE snapshot END AS snapshot,
          leads, charts, leads_since AS "leadsSince", charts_since AS "chartsSince"
     FROM match_models, LATERAL (SELECT (extract(epoch FROM fitted_at) * 1e6)::bigint::text AS at) fitted
    WHERE practice_id = $1`,
);
const DATA_KEY_COUNT = sessionStatement('match_data_key_count', ['uuid'], 'SELECT count(*)::int AS n FROM data_keys WHERE practice_id = $1');
const PENDING_CHARTS = sessionStatement(
  'match_pending_charts',
  ['uuid'],
  'SELECT id, lead_settle_key(content_hash, deleted_at) AS state FROM patients WHERE practice_id = $1 AND match_pending',
);
const PENDING_LEADS = sessionStatement(
  'match_pending_leads',
  ['uuid', 'int'],
  `SELECT ${LEAD_COLUMNS}, deleted_at IS NOT NULL AS withdrawn FROM leads WHERE practice_id = $1 AND match_pending ORDER BY id LIMIT $2`,
);
// Of every pending lead, not only the batch's: a lead arriving between the two statements can take a place in the
// batch's LIMIT, and the verdicts of the lead it pushed out would be missed. Only the lock's holder clears pending.
const VERDICTS_OF_PENDING = sessionStatement(
  'match_verdicts_of_pending',
  ['uuid'],
  `SELECT lead_id AS "leadId", patient_id AS "patientId", verdict FROM match_decisions
    WHERE practice_id = $1 AND lead_id IN (SELECT id FROM leads WHERE practice_id = $1 AND match_pending)`,
);
const COUNT_MATCHED_SINCE_FIT = sessionStatement(
  'match_count_matched_since_fit',
  ['uuid', 'int', 'int'],
  'UPDATE match_models SET leads_since = leads_since + $2, charts_since = charts_since + $3 WHERE practice_id = $1',
);
/** Every statement an incremental pass executes, prepared once on each connection that runs one. */
const INCREMENTAL_STATEMENTS = [
  FITTED_MODEL,
  DATA_KEY_COUNT,
  PENDING_CHARTS,
  PENDING_LEADS,
  VERDICTS_OF_PENDING,
  COUNT_MATCHED_SINCE_FIT,
  ...WRITE_MATCHES_STATEMENTS,
  ...LEAD_KEYS_STATEMENTS,
];

/**
 * The fitted model the opening read, unless the practice has outgrown it or an earlier version of the engine fitted
 * it. The snapshot (weights and tables, no PHI) is kept in memory per practice and read again only when a full run
 * has fitted a new one: every new lead would otherwise fetch and parse it.
 */
function fittedModel(
  practiceId: string,
  fit: ({ fittedAt: string; snapshot: MatchSnapshot | null } & FitSize) | undefined,
  known: { snapshot: MatchSnapshot } | undefined,
): MatchSnapshot | null {
  if (!fit || outgrown(fit)) return null;
  if (fit.snapshot) {
    // Fitted by an earlier version of the engine: its weights or its charts' keys no longer fit.
    if (!MatchEngine.canResume(fit.snapshot)) return null;
    fittedSnapshots.delete(practiceId);
    if (fittedSnapshots.size >= SNAPSHOTS_KEPT) fittedSnapshots.delete(fittedSnapshots.keys().next().value!);
    fittedSnapshots.set(practiceId, { fittedAt: fit.fittedAt, snapshot: fit.snapshot });
    return fit.snapshot;
  }
  // Not sent again: it is the one kept in memory when the statement was made.
  return known!.snapshot;
}

const SNAPSHOTS_KEPT = 500;
const fittedSnapshots = new Map<string, { fittedAt: string; snapshot: MatchSnapshot }>();

interface FitSize {
  leads: number;
  charts: number;
  leadsSince: number;
  chartsSince: number;
}

/**
 * A model fitted on much less than the practice now holds — the first run saw the charts before the lead sources were
 * connected, say — learned little: once the records matched since the fit reach its size again (and at least 50), the
 * practice is refitted rather than matched incrementally with it. Counted as matched, not counted in the tables: a
 * count of a large practice's leads would cost more than matching the lead.
 */
function outgrown(fit: FitSize): boolean {
  const grew = (since: number, then: number) => since >= Math.max(then, 50);
  return grew(fit.leadsSince, fit.leads) || grew(fit.chartsSince, fit.charts);
}

/**
 * Writes the changed charts' new keys (none for a deleted one), marks them matched, and returns the leads they can
 * affect: those whose keys meet the charts' keys before or after the change, and those linked to the charts or to
 * charts reaching them through household context (shared phone, e-mail, surname at the ZIP, opened together).
 */
async function reindexCharts(
  client: PoolClient,
  cipher: PracticeCipher,
  snapshot: MatchSnapshot,
  changed: readonly { id: string; state: Buffer }[],
): Promise<string[]> {
  const blind = matchKeyBlinder(cipher);
  const ids = changed.map((c) => c.id);
  const keyer = MatchEngine.resume(snapshot, new FetchedBlocks(), { blindKeys: blind });
  keyer.loadCharts((await readCharts(client, cipher, ids)).map((c) => c.input));
  const fresh = ids.map((patientId) => ({ patientId, keys: keyer.chartKeyEntries(patientId) }));
  const before = await storedChartKeys(client, ids);
  const all = [...before.map((k) => ({ kind: k.kind, digest: k.digest })), ...fresh.flatMap((c) => c.keys.map((k) => ({ kind: k.kind, digest: keyDigest(k.key) })))];
  const household = all.filter((k) => HOUSEHOLD_KEY_KINDS.includes(k.kind)).map((k) => k.digest);
  const neighbours = [...new Set([...ids, ...(await chartsWithKeys(client, cipher.practiceId, household))])];
  const linked = await client.query<{ lead_id: string }>('SELECT DISTINCT lead_id FROM lead_matches WHERE patient_id = ANY($1::uuid[])', [neighbours]);
  const reaching = await leadsWithKeys(client, cipher.practiceId, all.map((k) => k.digest));
  await replaceChartKeys(client, cipher.practiceId, fresh, ids);
  await markMatched(client, 'patients', changed);
  return [...new Set([...linked.rows.map((r) => r.lead_id), ...reaching])];
}
