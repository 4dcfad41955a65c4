import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createWebhookSenders, type WebhookSender } from '../src/bench/webhook-senders.ts';
import { createKeyRing, masterKeyFrom } from '../src/crypto/master-key.ts';
import { createPracticeKeys, PracticeKeyStore } from '../src/crypto/practice-keys.ts';
import type { Database } from '../src/db/database.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { startOwnCluster, startProductServer, type OwnCluster } from './product-process.ts';

// This file restarts PostgreSQL, so it runs on a cluster of its own rather than the suite's shared one.
const DELIVERIES = 300;

let own: OwnCluster;
let db: Database;
let env: Record<string, string>;
let senders: WebhookSender[];
const children: ChildProcess[] = [];

beforeAll(async () => {
  own = await startOwnCluster('test-faults-', 'faults');
  db = own.db;
  const masterKey = randomBytes(32).toString('base64');
  const ring = createKeyRing(masterKeyFrom(masterKey));
  const practiceId = await withSystem(db.owner, async (c) => {
    const agency = await c.query<{ id: string }>(`INSERT INTO agencies (name) VALUES ('Fault Agency') RETURNING id`);
    return (await c.query<{ id: string }>(`INSERT INTO practices (agency_id, name) VALUES ($1, 'Fault Dental') RETURNING id`, [agency.rows[0]!.id])).rows[0]!.id;
  });
  await withTenant(db.prisma, { practiceIds: [practiceId] }, (tx) => createPracticeKeys(tx, ring, practiceId));
  senders = await createWebhookSenders({ db, keys: new PracticeKeyStore(ring) }, practiceId);
  env = { ...(await own.productEnv(masterKey)), WORKER_STALE_SECONDS: '2' };
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await own?.close();
});

/** `sourceline start`: API and worker in one process, as a user runs it. */
async function startServer(): Promise<ChildProcess> {
  const child = await startProductServer(env, { logs: !!process.env.FAULT_LOGS });
  children.push(child);
  return child;
}

/** One delivery, as a source would send it: 0 when nothing answered. */
async function deliver(n: number): Promise<number> {
  const sender = senders[n % senders.length]!;
  const { body, headers } = sender.body(n);
  try {
    const response = await fetch(`http://127.0.0.1:${env.PORT}${sender.url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

const count = async (sql: string) => withSystem(db.owner, async (c) => (await c.query<{ n: number }>(sql)).rows[0]!.n);

it('loses and doubles nothing when the server and worker are killed with SIGKILL and PostgreSQL restarts under webhook load', async () => {
  let server = await startServer();
  const statuses = new Map<number, number>();
  const waiting = Array.from({ length: DELIVERIES }, (_, n) => n);
  let sent = 0;
  let killed = false;
  let restarted = false;
  const deadline = Date.now() + 120_000;
  // Senders retry until acknowledged (as CallRail's backfill and Gravity Forms' retries amount to): a retried delivery
  // may be stored twice, but must become one lead.
  while (waiting.length && Date.now() < deadline) {
    const batch = waiting.splice(0, 10);
    const results = await Promise.all(batch.map(deliver));
    results.forEach((status, i) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) sent += 1;
      else waiting.push(batch[i]!);
    });
    if (!killed && sent >= DELIVERIES / 3) {
      killed = true;
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
      server = await startServer();
    }
    if (!restarted && sent >= (2 * DELIVERIES) / 3) {
      restarted = true;
      await own.restart(500);
    }
    await sleep(20);
  }
  expect(waiting).toEqual([]);
  expect([killed, restarted]).toEqual([true, true]);
  // Outages answered with errors or no answer at all, never a false acknowledgement.
  expect(statuses.get(200)).toBe(DELIVERIES);

  // Usually seconds; a processing job lost with the worker is queued again by the minutely sweep.
  const settled = Date.now() + 150_000;
  let leads = 0;
  let pending = 0;
  while (Date.now() < settled) {
    pending = await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'received'`);
    leads = await count('SELECT count(*)::int AS n FROM leads');
    if (pending === 0 && leads >= DELIVERIES) break;
    await sleep(250);
  }
  const jobs = await db.owner.query(`SELECT task_identifier, attempts, run_at - now() AS due_in, locked_by, left(last_error, 160) AS last_error FROM graphile_worker.jobs`);
  expect({ pending, jobs: pending ? jobs.rows : [] }).toEqual({ pending: 0, jobs: [] });
  expect(leads).toBe(DELIVERIES);
  expect(await count('SELECT count(DISTINCT (connection_id, source_id))::int AS n FROM leads')).toBe(DELIVERIES);
  expect(await count(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'processed'`)).toBe(0);
  expect(await count('SELECT count(*)::int AS n FROM webhook_deliveries')).toBeGreaterThanOrEqual(DELIVERIES);
  server.kill('SIGTERM');
}, 300_000);
