import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createPlatformAdmin } from '../auth/create-admin.ts';
import { sealSettings } from '../connections/connection-settings.ts';
import { withSystem, withTenant } from '../db/tenant-transaction.ts';
import { freePort } from '../http/free-port.ts';
import { startBenchPlatform } from './bench-platform.ts';
import { post, startCli, waitForHealth } from './child-server.ts';
import { signIn } from './web.ts';
import { createWebhookSenders } from './webhook-senders.ts';

const WEBHOOKS_PER_SECOND = 10;
const QUERIES_PER_SECOND = 4;

interface Minute {
  webhooks: number[];
  queries: number[];
  errors: number;
}

/**
 * `pnpm bench soak [minutes]` (default 30): the whole product as one `sourceline start` process under steady mixed
 * traffic — signed webhooks (10/s), dashboard and console queries (4/s), and a "sync now" of an Open Dental office
 * (2,000 patients) every minute — sampling the server's resident memory and each minute's latencies. Prints a line a
 * minute and then whether memory grows (least-squares slope of RSS over the second half) and whether p99 drifts (the
 * last five minutes against the first five after a minute's warm-up).
 */
export async function benchSoak(args: string[]): Promise<void> {
  const minutes = Math.max(2, Number(args[0] ?? 30));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const office = fork(fileURLToPath(new URL('./simulator-process.ts', import.meta.url)), ['2000'], { execArgv: ['--import', 'tsx'] });
  const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve) => office.once('message', (m) => resolve(m as { baseUrl: string })));
  const platform = await startBenchPlatform();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startCli(['start'], { ...platform.childEnv, PORT: String(port) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  try {
    const senders = await createWebhookSenders(platform, platform.practiceId);
    const connectionId = await withTenant(platform.db.prisma, { practiceIds: [platform.practiceId] }, async (tx) => {
      const cipher = await platform.keys.cipherFor(tx, platform.practiceId);
      const settings = { baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', mode: 'service', timeZone: 'America/Chicago', reconcileEveryHours: 24 };
      return (await tx.connection.create({ data: { practiceId: platform.practiceId, connectorId: 'open-dental', displayName: 'OD', settingsSealed: new Uint8Array(sealSettings(cipher, settings)) } })).id;
    });
    const admin = await createPlatformAdmin(platform.db.owner, { email: 'soak@sourceline.local', displayName: 'Soak' });
    const agencyId = await withSystem(platform.db.owner, async (c) => {
      const { rows } = await c.query<{ agency_id: string }>('SELECT agency_id FROM practices WHERE id = $1', [platform.practiceId]);
      await c.query(`INSERT INTO memberships (user_id, agency_id, role) VALUES ($1, $2, 'admin')`, [admin.userId, rows[0]!.agency_id]);
      return rows[0]!.agency_id;
    });
    await waitForHealth(base);
    const cookies = await signIn(base, admin.email, admin.oneTimePassword);
    const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const queries = [
      { query: `query($id: ID!, $from: String!, $to: String!) { node(id: $id) { ... on Practice { performance(from: $from, to: $to) { totals { leads newPatients productionCents } channels { channel figures { leads } } } dataQuality(from: $from, to: $to) { kind count } } } }`, variables: { id: gid('Practice', platform.practiceId), from: yearAgo, to: today } },
      { query: `query($id: ID!, $from: String!, $to: String!) { node(id: $id) { ... on Agency { practicePerformance(from: $from, to: $to) { figures { leads } matchRate trend } } } }`, variables: { id: gid('Agency', agencyId), from: yearAgo, to: today } },
      { query: `query($id: ID!) { node(id: $id) { ... on Practice { leads(first: 25) { edges { node { id channel } } } } } }`, variables: { id: gid('Practice', platform.practiceId) } },
    ];
    const graphql = (body: unknown) => post(`${base}/graphql`, { body: JSON.stringify(body), headers: { cookie: cookies, 'x-csrf-token': 'bench' } }, agent);

    out(`soaking for ${minutes} minutes: ${WEBHOOKS_PER_SECOND} webhooks/s, ${QUERIES_PER_SECOND} dashboard queries/s, a sync every minute…`);
    const samples: { minute: number; rssMiB: number; webhookP99: number; queryP99: number }[] = [];
    let current: Minute = { webhooks: [], queries: [], errors: 0 };
    let n = 0;
    let q = 0;
    let acknowledged = 0;
    const inFlight = new Set<Promise<void>>();
    const timed = (bucket: 'webhooks' | 'queries', request: () => Promise<number>) => {
      const minute = current;
      const t = performance.now();
      const answered = request().then((status) => {
        minute[bucket].push(performance.now() - t);
        if (status !== 200) minute.errors += 1;
        else if (bucket === 'webhooks') acknowledged += 1;
      });
      inFlight.add(answered);
      void answered.finally(() => inFlight.delete(answered));
    };
    const webhookTimer = setInterval(() => {
      const sender = senders[n % senders.length]!;
      timed('webhooks', () => post(`${base}${sender.url}`, sender.body(n++), agent));
    }, 1000 / WEBHOOKS_PER_SECOND);
    const queryTimer = setInterval(() => timed('queries', () => graphql(queries[q++ % queries.length])), 1000 / QUERIES_PER_SECOND);
    const syncNow = `mutation($id: ID!) { syncConnectionNow(id: $id) { id } }`;
    try {
      for (let minute = 1; minute <= minutes; minute += 1) {
        void graphql({ query: syncNow, variables: { id: gid('Connection', connectionId) } });
        await sleep(60_000);
        const done = current;
        current = { webhooks: [], queries: [], errors: 0 };
        await sleep(2_000); // let the minute's last requests finish into their own bucket
        const rssMiB = await residentMiB(server.pid!);
        const sample = { minute, rssMiB, webhookP99: percentile(done.webhooks, 0.99), queryP99: percentile(done.queries, 0.99) };
        samples.push(sample);
        out(
          `min ${String(minute).padStart(2)}: RSS ${rssMiB.toFixed(0)} MiB; webhooks ${done.webhooks.length} ` +
            `(p50 ${percentile(done.webhooks, 0.5).toFixed(1)} ms, p99 ${sample.webhookP99.toFixed(1)} ms); queries ${done.queries.length} ` +
            `(p50 ${percentile(done.queries, 0.5).toFixed(1)} ms, p99 ${sample.queryP99.toFixed(1)} ms); non-200 ${done.errors}`,
        );
      }
    } finally {
      clearInterval(webhookTimer);
      clearInterval(queryTimer);
    }
    // Requests sent in the last moment are answered (and stored) before anything is counted.
    await Promise.all(inFlight);

    const count = (sql: string) => withSystem(platform.db.owner, async (c) => (await c.query<{ n: number }>(sql)).rows[0]!.n);
    // The last seconds' deliveries are still being processed: counted once the queue has drained (a minute at most).
    for (let i = 0; i < 120 && (await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'received'`)) > 0; i += 1) await sleep(500);
    const leads = await count('SELECT count(*)::int AS n FROM leads');
    const half = samples.slice(Math.floor(samples.length / 2));
    const slope = leastSquaresSlope(half.map((s) => [s.minute, s.rssMiB]));
    const steady = samples.slice(1);
    const window = Math.min(5, Math.floor(steady.length / 2)) || 1;
    const drift = (key: 'webhookP99' | 'queryP99') =>
      median(steady.slice(-window).map((s) => s[key])) / Math.max(0.001, median(steady.slice(0, window).map((s) => s[key])));
    out('');
    out(`leads stored: ${leads} for ${acknowledged} webhooks acknowledged (${n} sent)`);
    // Caches and pools fill in the first minutes; a verdict needs a second half long enough to tell a leak from that.
    const verdict = samples.length < 10 ? 'too short to judge (run 10 minutes or more)' : slope > 1 ? 'GROWS' : 'stable';
    out(`memory: ${verdict} — ${slope.toFixed(2)} MiB/min over the second half (RSS ${samples[0]!.rssMiB.toFixed(0)} → ${samples.at(-1)!.rssMiB.toFixed(0)} MiB)`);
    for (const [label, key] of [['webhook', 'webhookP99'], ['query', 'queryP99']] as const) {
      const ratio = drift(key);
      out(`${label} p99: ${ratio > 1.5 ? 'DRIFTS' : 'steady'} — last ${window} min ${(ratio * 100).toFixed(0)}% of the first ${window} after warm-up`);
    }
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    office.send('close');
    await platform.close();
  }
}

async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const median = (values: number[]) => percentile(values, 0.5);

function leastSquaresSlope(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
