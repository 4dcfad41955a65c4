import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPlatformAdmin } from '../auth/create-admin.ts';
import { withSystem } from '../db/tenant-transaction.ts';
import { createHttpApp, listen } from '../http/server.ts';
import { loadWebApp } from '../http/web-app.ts';
import { createLogger } from '../logging/logger.ts';
import { startBenchPlatform } from './bench-platform.ts';

const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));
const REQUESTS = 40;

/**
 * `pnpm bench web`: the read path of the dashboards on a generated agency of 200 practices, one of them ten times a
 * large practice (10 locations, 200,000 charts, 1,000,000 leads, 3 years). Rollups, spend, leads and charts are
 * generated in SQL at realistic density (the figures are what the dashboards read; the pipeline that writes them has
 * benchmarks of its own). Prints
 * the server time of the practice dashboard's and the agency console's queries over loopback, and — when the web app
 * is built and Chromium is installed — the dashboard page's Largest Contentful Paint. Targets: ≤ 50 ms, ≤ 200 ms, < 1 s.
 */
export async function benchWeb(): Promise<void> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const platform = await startBenchPlatform();
  let server: http.Server | null = null;
  try {
    out('generating an agency of 200 practices (rollups, spend, leads and charts for 3 years)…');
    const started = performance.now();
    const { agencyId, largeId } = await withSystem(platform.db.owner, (c) => generateAgency(c, platform.practiceId));
    // What autovacuum does on a live server after bulk writes: statistics, and the visibility map index-only scans need.
    await platform.db.owner.query('VACUUM ANALYZE attribution_rollups, attribution_day_totals, spend, spend_day_totals, leads, patients, lead_matches');
    out(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const admin = await createPlatformAdmin(platform.db.owner, { email: 'bench@sourceline.local', displayName: 'Bench' });
    await withSystem(platform.db.owner, (c) => c.query(`INSERT INTO memberships (user_id, agency_id, role) VALUES ($1, $2, 'admin')`, [admin.userId, agencyId]));
    const web = await loadWebApp();
    // Errors reach the output: a failing query should say why, not just fail.
    server = await listen(createHttpApp({ ...platform, logger: createLogger({ level: 'error' }) }, { web }), 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookies = await signIn(base, admin.email, admin.oneTimePassword);

    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
    const figures = `performance(from: $from, to: $to) { totals { leads newPatients productionCents spendCents costPerPatientCents returnOnSpend }
      previous { leads newPatients productionCents spendCents } channels { channel name figures { leads creditedPatients productionCents spendCents } } }`;
    const dashboard = `query($id: ID!, $from: String!, $to: String!) { node(id: $id) { ... on Practice { ${figures} } } }`;
    // All the dashboard page asks for (web/app/lib/performance.server.ts): the figures, the matching counts and the data-quality panel.
    const dashboardPage = `query($id: ID!, $from: String!, $to: String!) { node(id: $id) { ... on Practice { ${figures}
      matching { links review pendingLeads fittedAt } dataQuality(from: $from, to: $to) { kind severity count title action } } } }`;
    // The page's other two fields on their own, so its cost is broken down by field (each also pays the floor above).
    const matchingOnly = `query($id: ID!) { node(id: $id) { ... on Practice { matching { links review pendingLeads fittedAt } } } }`;
    const qualityOnly = `query($id: ID!, $from: String!, $to: String!) { node(id: $id) { ... on Practice { dataQuality(from: $from, to: $to) { kind severity count title action } } } }`;
    const consoleQuery = `query($id: ID!, $from: String!, $to: String!) { node(id: $id) { ... on Agency {
      practicePerformance(from: $from, to: $to) { practice { id name } figures { leads newPatients productionCents spendCents costPerPatientCents returnOnSpend } matchRate syncHealth trend } } } }`;

    const time = async (label: string, query: string, variables: Record<string, unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < REQUESTS + 3; i++) {
        const t = performance.now();
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookies, 'x-csrf-token': 'bench' },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as { errors?: { message: string }[] };
        if (body.errors) throw new Error(`${label}: ${body.errors[0]!.message}`);
        if (i >= 3) samples.push(performance.now() - t); // the first three warm the pools and the JIT
      }
      samples.sort((a, b) => a - b);
      const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
      out(`${label}: p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms over ${REQUESTS} requests`);
    };
    await time('baseline: who am I', '{ me { __typename } }', {});
    for (const [who, id] of [['the large practice', largeId], ['a typical practice', platform.practiceId]] as const) {
      const variables = { id: gid('Practice', id), from: yearAgo, to: today };
      await time(`practice dashboard figures, ${who}, last 12 months`, dashboard, variables);
      await time(`practice dashboard page query (+ matching, data quality), ${who}`, dashboardPage, variables);
    }
    const large = { id: gid('Practice', largeId), from: yearAgo, to: today };
    await time('  of which the matching counts alone, the large practice', matchingOnly, { id: large.id });
    await time('  of which the data-quality panel alone, the large practice', qualityOnly, large);
    await time('agency console, 200 practices, last 12 months', consoleQuery, { id: gid('Agency', agencyId), from: yearAgo, to: today });

    const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!web || !existsSync(chromium)) {
      out('Largest Contentful Paint: not measured (build the web app with `pnpm build` and install Chromium)');
    } else {
      // Asynchronously: the server answering the browser lives in this process.
      const { stdout: lcp } = await promisify(execFile)(process.execPath, [path.join(WEB_DIR, 'scripts', 'measure-lcp.mjs'), `${base}/a/${agencyId}/p/${largeId}`, cookies, chromium], {
        cwd: WEB_DIR,
        encoding: 'utf8',
      });
      out(`practice dashboard page, the large practice: ${lcp.trim()}`);
    }
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await platform.close();
  }
}

/** Signs in over the API; returns the Cookie header (session and CSRF token) later requests send. */
export async function signIn(base: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'sl_csrf=bench', 'x-csrf-token': 'bench' },
    body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) }', variables: { e: email, p: password } }),
  });
  const session = response.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('sl_session='));
  if (!session) throw new Error('the bench user could not sign in');
  return `sl_csrf=bench; ${session}`;
}

/**
 * 199 practices beside the bench platform's own, one of them ten times a large practice. Rows are sparse as real ones
 * are: a day has a few (channel, campaign) slots with activity, each with a row per model.
 */
export async function generateAgency(c: import('pg').PoolClient, firstPracticeId: string): Promise<{ agencyId: string; largeId: string }> {
  const { rows } = await c.query<{ agency_id: string }>('SELECT agency_id FROM practices WHERE id = $1', [firstPracticeId]);
  const agencyId = rows[0]!.agency_id;
  await c.query(
    `INSERT INTO practices (agency_id, name, time_zone) SELECT $1, 'Bench Practice ' || n, 'America/Chicago' FROM generate_series(2, 199) n`,
    [agencyId],
  );
  const large = await c.query<{ id: string }>(`INSERT INTO practices (agency_id, name, time_zone) VALUES ($1, 'Bench Large Group', 'America/Chicago') RETURNING id`, [agencyId]);
  const largeId = large.rows[0]!.id;
  await c.query(`INSERT INTO locations (practice_id, name) SELECT $1, 'Office ' || n FROM generate_series(1, 10) n`, [largeId]);
  await c.query(`INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed, status, last_synced_at)
                 SELECT id, 'callrail', 'CallRail', '\\x00', 'ok', now() FROM practices WHERE agency_id = $1`, [agencyId]);
  const models = `ARRAY['first-touch','last-touch','linear','time-decay','position-based','markov']`;
  const channels = `ARRAY['paid-search','organic-search','google-business-profile','paid-social','direct','referral-web','email','unattributed']`;
  // Per practice and day: `slots` active (channel, campaign) pairs, each a row per model; the large practice ten times
  // as many, spread over its ten locations.
  await c.query(
    `INSERT INTO attribution_rollups (practice_id, model, day, location_id, channel, campaign, leads, linked_leads, new_patients,
       credited_patient_millionths, production_level1_cents, production_level2_cents, production_level3_cents,
       collections_level1_cents, collections_level2_cents)
     SELECT p.id, m.model, d.day, loc.id, (${channels})[1 + (s.slot * 7 + extract(doy FROM d.day)::int) % 8], 'Campaign ' || (s.slot % 5),
            (s.slot % 3), (s.slot % 3) / 2, (s.slot % 2), (s.slot % 2) * 1000000, 18000 + s.slot * 100, 40000, 9000, 12000, 20000
       FROM practices p
       CROSS JOIN generate_series(current_date - 1095, current_date, '1 day') AS d(day)
       CROSS JOIN LATERAL generate_series(1, CASE WHEN p.id = $2 THEN 40 ELSE 4 END) AS s(slot)
       CROSS JOIN unnest(${models}) AS m(model)
       LEFT JOIN LATERAL (SELECT id FROM locations WHERE practice_id = p.id ORDER BY id OFFSET (s.slot % 10) LIMIT 1) loc ON p.id = $2
      WHERE p.agency_id = $1`,
    [agencyId, largeId],
  );
  await c.query(
    `INSERT INTO spend (practice_id, connection_id, source_id, content_hash, date, source, medium, campaign, cost_cents, currency, channel)
     SELECT p.id, cn.id, 's-' || d.day || '-' || k, '\\x00', d.day, (ARRAY['google','facebook','yelp'])[k], (ARRAY['cpc','paid_social','cpc'])[k],
            'Campaign ' || k, 5000 * k * CASE WHEN p.id = $2 THEN 10 ELSE 1 END, 'USD', NULL
       FROM practices p JOIN connections cn ON cn.practice_id = p.id
       CROSS JOIN generate_series(current_date - 1095, current_date, '1 day') AS d(day)
       CROSS JOIN generate_series(1, 3) AS k
      WHERE p.agency_id = $1`,
    [agencyId, largeId],
  );
  // Leads: about 4 a day per practice, 913 a day (a million in three years) at the large one.
  await c.query(
    `INSERT INTO leads (practice_id, connection_id, source_id, content_hash, occurred_at, kind, classified_channel, contact_type, channel_rule,
                        settled_state, match_state)
     SELECT p.id, cn.id, 'l-' || n, '\\x00', now() - (n % 1096) * interval '1 day' - (n % 86400) * interval '1 second', 'call', 'paid-search',
            CASE WHEN n % 4 = 0 THEN 'repeat' ELSE 'first-time' END, CASE WHEN n % 20 = 1 THEN 'R19' ELSE 'R5' END,
            '\\x00', '\\x00'
       FROM practices p JOIN connections cn ON cn.practice_id = p.id
       CROSS JOIN LATERAL generate_series(1, CASE WHEN p.id = $2 THEN 1000000 ELSE 4384 END) AS n
      WHERE p.agency_id = $1`,
    [agencyId, largeId],
  );
  // Charts: 200,000 at the large practice, 2,000 at the others (no PHI columns: the dashboards read no chart).
  await c.query(
    `INSERT INTO patients (practice_id, connection_id, source_id, content_hash, gender, status, first_visit_on, created_on, match_state)
     SELECT p.id, cn.id, 'p-' || n, '\\x00', 'unknown', 'active', current_date - (n % 1096), current_date - (n % 1096) - 3, '\\x00'
       FROM practices p JOIN connections cn ON cn.practice_id = p.id
       CROSS JOIN LATERAL generate_series(1, CASE WHEN p.id = $2 THEN 200000 ELSE 2000 END) AS n
      WHERE p.agency_id = $1`,
    [agencyId, largeId],
  );
  // A settled practice: every record matched, a third of the leads linked to a chart, a few pairs waiting for review.
  await c.query(
    `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method)
     SELECT l.id, pt.id, l.practice_id, CASE WHEN l.n % 150 = 0 THEN 'review' ELSE 'link' END, 0.95, 'phone'
       FROM (SELECT id, practice_id, connection_id, substr(source_id, 3)::int AS n FROM leads WHERE practice_id IN (SELECT id FROM practices WHERE agency_id = $1)) l
       JOIN patients pt ON pt.connection_id = l.connection_id
                       AND pt.source_id = 'p-' || (1 + l.n % CASE WHEN l.practice_id = $2 THEN 200000 ELSE 2000 END)
      WHERE l.n % 3 = 0`,
    [agencyId, largeId],
  );
  return { agencyId, largeId };
}
