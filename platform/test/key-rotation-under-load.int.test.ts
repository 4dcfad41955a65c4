import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { hashPassword } from '../src/auth/passwords.ts';
import { createWebhookSenders, type WebhookSender } from '../src/bench/webhook-senders.ts';
import { createKeyRing, masterKeyFrom } from '../src/crypto/master-key.ts';
import { createPracticeKeys, PracticeKeyStore } from '../src/crypto/practice-keys.ts';
import { appRoleUrl } from '../src/db/app-role.ts';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenant, withTenantClient } from '../src/db/tenant-transaction.ts';
import { freePort } from '../src/http/free-port.ts';
import { BODY_FIELD } from '../src/webhooks/deliveries.ts';
import { runCli } from './cli.ts';
import { createTestDatabase } from './database.ts';
import { globalId, PASSWORD } from './fixtures.ts';
import { GraphQLClient } from './graphql-client.ts';
import { scratchDirectory, startProductServer } from './product-process.ts';

// The documented rotation (docs/operations.md, "Keys"), done as a rolling deploy while webhooks keep arriving:
// A runs with the old key; B with the new key current and the old one previous; `keys rotate --new-data-keys` runs
// beside B; C runs with the new key alone. A load balancer's routing is mimicked: a server is drained before it stops.
const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const OLD_ONLY = { SOURCELINE_MASTER_KEY: OLD_KEY, SOURCELINE_PREVIOUS_MASTER_KEYS: '' };
const NEW_WITH_OLD = { SOURCELINE_MASTER_KEY: NEW_KEY, SOURCELINE_PREVIOUS_MASTER_KEYS: OLD_KEY };
const NEW_ONLY = { SOURCELINE_MASTER_KEY: NEW_KEY, SOURCELINE_PREVIOUS_MASTER_KEYS: '' };
// Idle practices push the data keys past rotate-keys' batch of 200, so the re-wrap commits in several transactions.
const IDLE_PRACTICES = 110;
const PRACTICES = IDLE_PRACTICES + 1;
const ANALYST_EMAIL = 'analyst@rotation.test';
// About 25 deliveries a second: a steady stream, not a benchmark (CI has two cores for the servers, CLI and PostgreSQL).
const PER_TICK = 5;
const TICK_MS = 200;
const LEAD_PHI = `query($p: ID!, $after: String) { node(id: $p) { ... on Practice {
  leads(first: 100, after: $after) { edges { node { name phone } } pageInfo { hasNextPage endCursor } } } } }`;

interface Server {
  label: string;
  port: number;
  child: ChildProcess;
  inFlight: Set<Promise<void>>;
}

interface Delivery {
  body: string;
  server: string;
  /** 0 when nothing answered. */
  status: number;
}

let db: Database;
let dir: string;
let practiceId: string;
let senders: WebhookSender[];
let env: Record<string, string>;
const children: ChildProcess[] = [];
const deliveries: Delivery[] = [];
let routes: Server[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await scratchDirectory('test-rotation-');
  const oldRing = createKeyRing(masterKeyFrom(OLD_KEY));
  const practiceIds = await withSystem(db.owner, async (c) => {
    const agency = (await c.query<{ id: string }>(`INSERT INTO agencies (name) VALUES ('Rotation Agency') RETURNING id`)).rows[0]!.id;
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO practices (agency_id, name) SELECT $1, 'Rotation Dental ' || n FROM generate_series(1, $2) AS n ORDER BY n RETURNING id`,
      [agency, PRACTICES],
    );
    return rows.map((row) => row.id);
  });
  practiceId = practiceIds[0]!;
  await withTenant(db.prisma, { practiceIds }, async (tx) => {
    for (const id of practiceIds) await createPracticeKeys(tx, oldRing, id);
  });
  await withSystem(db.owner, async (c) => {
    const user = await c.query<{ id: string }>(`INSERT INTO users (email, display_name, password_hash) VALUES ($1, 'Analyst', $2) RETURNING id`, [
      ANALYST_EMAIL,
      await hashPassword(PASSWORD),
    ]);
    await c.query(`INSERT INTO memberships (user_id, practice_id, role) VALUES ($1, $2, 'analyst')`, [user.rows[0]!.id, practiceId]);
  });
  senders = await createWebhookSenders({ db, keys: new PracticeKeyStore(oldRing) }, practiceId);
  env = {
    DATABASE_URL: db.ownerUrl,
    APP_DATABASE_URL: appRoleUrl(db.ownerUrl, inject('pgAppPassword')),
    DATA_DIR: dir,
    DEMO: 'false',
    // ROTATION_LOGS=info shows the servers' own logs while diagnosing a failure of this test.
    LOG_LEVEL: process.env.ROTATION_LOGS ?? 'silent',
  };
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** `sourceline start` (API and worker in one process) with the given keys, once it answers its health check. */
async function startServer(label: string, keys: Record<string, string>): Promise<Server> {
  const port = await freePort();
  // Seconds usually; more while the other server, the CLI and PostgreSQL share two cores.
  const child = await startProductServer({ ...env, ...keys, PORT: String(port) }, { logs: !!process.env.ROTATION_LOGS, timeoutMs: 60_000 });
  children.push(child);
  return { label, port, child, inFlight: new Set() };
}

/** Takes the server out of the routing, lets its requests finish, then stops it as a deploy would (SIGTERM). */
async function drainAndStop(server: Server): Promise<number | null> {
  routes = routes.filter((s) => s !== server);
  await Promise.all(server.inFlight);
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  return exited;
}

function deliver(n: number, server: Server): void {
  const sender = senders[n % senders.length]!;
  const { body, headers } = sender.body(n);
  const sending = fetch(`http://127.0.0.1:${server.port}${sender.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
    .then(async (response) => {
      await response.arrayBuffer();
      return response.status;
    })
    .catch(() => 0)
    .then((status) => {
      deliveries.push({ body, server: server.label, status });
      server.inFlight.delete(sending);
    });
  server.inFlight.add(sending);
}

/** Sends PER_TICK deliveries every TICK_MS, spread at random over the routed servers, until told to stop. */
async function sendSteadily(traffic: { stop: boolean }): Promise<void> {
  for (let n = 0; !traffic.stop; await sleep(TICK_MS)) {
    for (let i = 0; i < PER_TICK; i += 1, n += 1) deliver(n, routes[Math.floor(Math.random() * routes.length)]!);
  }
  await Promise.all(routes.flatMap((server) => [...server.inFlight]));
}

const acknowledgedBy = (label: string) => deliveries.filter((d) => d.server === label && d.status === 200).length;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const count = async (sql: string) => withSystem(db.owner, async (c) => (await c.query<{ n: number }>(sql)).rows[0]!.n);

/** The data key version a practice ciphertext was sealed with (its header: format byte, then uint32 version). */
const versionOf = (sealed: Buffer) => sealed.readUInt32BE(1);

interface LeadPhi {
  name: string | null;
  phone: string | null;
}
type LeadPhiPage = { node: { leads: { edges: { node: LeadPhi }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } };

/** Every lead's name and phone, as an analyst signed in to the server reads them. */
async function readPhiThrough(server: Server): Promise<LeadPhi[]> {
  const client = new GraphQLClient(`http://127.0.0.1:${server.port}`);
  await client.data('mutation($e: String!, $p: String!) { login(email: $e, password: $p) }', { e: ANALYST_EMAIL, p: PASSWORD });
  const leads: LeadPhi[] = [];
  for (let after: string | null = null; ; ) {
    const page: LeadPhiPage = await client.data<LeadPhiPage>(LEAD_PHI, { p: globalId('Practice', practiceId), after });
    leads.push(...page.node.leads.edges.map((edge) => edge.node));
    if (!page.node.leads.pageInfo.hasNextPage) return leads;
    after = page.node.leads.pageInfo.endCursor;
  }
}

it('loses nothing when the master key and data keys are rotated during live webhook traffic, across a rolling restart', async () => {
  const a = await startServer('A', OLD_ONLY);
  routes = [a];
  const traffic = { stop: false };
  const sending = sendSteadily(traffic);
  let rotation: Awaited<ReturnType<typeof runCli>>;
  let duringRotation: number;
  let c: Server;
  const exits: (number | null)[] = [];
  try {
    await until(() => acknowledgedBy('A') >= 30, 'A to acknowledge deliveries');
    const b = await startServer('B', NEW_WITH_OLD);
    routes = [a, b];
    await until(() => acknowledgedBy('B') >= 15, 'B to acknowledge deliveries');
    exits.push(await drainAndStop(a));

    const sentBeforeRotation = deliveries.length;
    rotation = await runCli(['keys', 'rotate', '--new-data-keys'], { ...env, ...NEW_WITH_OLD });
    duringRotation = deliveries.length - sentBeforeRotation;

    c = await startServer('C', NEW_ONLY);
    // B leaves the routing but, as in a rolling deploy, its worker runs on until B stops: it takes its share of the
    // deliveries C received and sealed.
    routes = [c];
    await Promise.all(b.inFlight);
    await until(() => acknowledgedBy('C') >= 30, 'C to acknowledge deliveries while B still works');
    exits.push(await drainAndStop(b));
    await until(() => acknowledgedBy('C') >= 60, 'C alone to acknowledge deliveries');
  } finally {
    traffic.stop = true;
    await sending;
  }

  expect(rotation).toMatchObject({
    code: 0,
    stdout: `Re-wrapped ${2 * PRACTICES} data key(s), 0 MFA secret(s) and 0 mail(s) under the current master key; added ${PRACTICES} new data key version(s).\n`,
  });
  expect(duringRotation).toBeGreaterThan(20);
  // Drained servers stop cleanly; no delivery went unanswered, none was refused, none failed.
  expect(exits).toEqual([0, 0]);
  const statuses = new Map<number, number>();
  for (const { status } of deliveries) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  expect(statuses).toEqual(new Map([[200, deliveries.length]]));

  // C, holding only the new key, processes whatever is still waiting.
  const settled = Date.now() + 30_000;
  let pending: number;
  do {
    await sleep(100);
    pending = await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'received'`);
  } while (pending > 0 && Date.now() < settled);
  const jobs = pending ? (await db.owner.query(`SELECT task_identifier, attempts, locked_by, left(last_error, 200) AS last_error FROM graphile_worker.jobs`)).rows : [];
  expect({ pending, jobs }).toEqual({ pending: 0, jobs: [] });
  // A delivery quarantined after its acknowledgement is lost to the practice until someone replays it. Processes that
  // loaded a practice's keys before `--new-data-keys` must still open what processes started after it sealed.
  const outcomes = await withSystem(db.owner, async (client) =>
    (await client.query(`SELECT status, failure, count(*)::int AS n FROM webhook_deliveries GROUP BY 1, 2 ORDER BY 3 DESC`)).rows,
  );
  expect(outcomes).toEqual([{ status: 'processed', failure: null, n: deliveries.length }]);
  expect(await count('SELECT count(*)::int AS n FROM leads')).toBe(deliveries.length);
  expect(await count('SELECT count(DISTINCT (connection_id, source_id))::int AS n FROM leads')).toBe(deliveries.length);

  // Every data key is under the new master key, and every practice gained a second data key (blind indexes stay put).
  const keys = await withSystem(db.owner, async (client) =>
    (await client.query(`SELECT master_key_id, purpose, version, count(*)::int AS n FROM data_keys GROUP BY 1, 2, 3 ORDER BY 2, 3`)).rows,
  );
  const newKeyId = masterKeyFrom(NEW_KEY).id;
  expect(keys).toEqual([
    { master_key_id: newKeyId, purpose: 'blind_index', version: 1, n: PRACTICES },
    { master_key_id: newKeyId, purpose: 'data', version: 1, n: PRACTICES },
    { master_key_id: newKeyId, purpose: 'data', version: 2, n: PRACTICES },
  ]);

  // With only the new key, every stored body is exactly what was acknowledged and every sealed lead field opens
  // (decrypt throws otherwise).
  const newKeyOnly = new PracticeKeyStore(createKeyRing(masterKeyFrom(NEW_KEY)));
  const stored = await withTenantClient(db.app, { practiceIds: [practiceId] }, async (client) => {
    const cipher = await newKeyOnly.cipherForClient(client, practiceId);
    const bodies = (await client.query<{ body_sealed: Buffer }>('SELECT body_sealed FROM webhook_deliveries')).rows.map((row) => ({
      body: cipher.decrypt(BODY_FIELD, row.body_sealed),
      version: versionOf(row.body_sealed),
    }));
    const leadVersions = new Set<number>();
    const leads = await client.query<Record<'name' | 'phone' | 'email' | 'message', Buffer | null>>('SELECT name, phone, email, message FROM leads');
    for (const lead of leads.rows) {
      for (const [field, sealed] of Object.entries(lead)) {
        if (!sealed) continue;
        cipher.decrypt(`lead.${field}`, sealed);
        leadVersions.add(versionOf(sealed));
      }
    }
    return { bodies, leadVersions };
  });
  expect(stored.bodies.map((b) => b.body).sort()).toEqual(deliveries.map((d) => d.body).sort());
  // Old values stay under data key 1; a server started after the rotation seals new ones under data key 2.
  const versionByBody = new Map(stored.bodies.map((b) => [b.body, b.version]));
  const versionsByServer = (label: string) => new Set(deliveries.filter((d) => d.server === label).map((d) => versionByBody.get(d.body)));
  expect([versionsByServer('A'), versionsByServer('C')]).toEqual([new Set([1]), new Set([2])]);
  expect(stored.leadVersions).toEqual(new Set([1, 2]));

  // C, restarted with the new key alone, serves every lead's PHI through its own API: each sender's person, readable.
  const served = await readPhiThrough(c);
  expect(served).toHaveLength(deliveries.length);
  expect(served.filter((lead) => !/^[a-z]+ [a-z]+$/i.test(lead.name ?? '') || !/^\+1614\d{7}$/.test(lead.phone ?? ''))).toEqual([]);
  expect(await drainAndStop(c)).toBe(0);
}, 120_000);
