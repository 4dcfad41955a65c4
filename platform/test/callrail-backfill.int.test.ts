import { signCallRailBody } from '@sourceline/connector-callrail';
import { isoWithOffset, renderCallRailDeliveries, startCallRailFake, type CallRailDelivery, type CallRailFake, type WorldCall } from '@sourceline/connector-callrail/fake';
import { Logger as WorkerLogger, runOnce } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueSync, syncTaskName } from '../src/connections/schedule-syncs.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { taskList } from '../src/jobs/worker.ts';
import { PROCESS_WEBHOOKS_TASK } from '../src/webhooks/process-deliveries.ts';
import { createAgencyWithPractices, createUser, globalId, localId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

/** Calls CallRail holds for the company, and how many of their post-call webhooks never reach us. */
const N = 12;
const K = 4;
const HOUR_MS = 3_600_000;
const CALLS_SYNC_TASK = syncTaskName('callrail', 'calls');

let platform: TestPlatform;
let fake: CallRailFake;
let admin: GraphQLClient;
let practiceIds: string[];

interface Connection {
  id: string;
  practiceId: string;
  /** `http://127.0.0.1:PORT/hooks/<secret>`: the post-call URL without its last segment. */
  hooksBase: string;
}

async function connectCallRail(practiceId: string): Promise<Connection> {
  const settings = { baseUrl: fake.baseUrl, apiKey: fake.apiKey, accountId: fake.accountId, companyId: fake.companyId, signingKey: fake.signingKey };
  const { createConnection } = await admin.data<{ createConnection: { id: string; webhooks: { name: string; url: string }[] } }>(
    'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "callrail", settings: $s) { id webhooks { name url } } }',
    { p: globalId('Practice', practiceId), s: JSON.stringify(settings) },
  );
  // Links are minted for the public URL; the test server listens on loopback.
  const postCall = createConnection.webhooks.find((w) => w.name === 'post-call')!.url.replace(platform.config.publicUrl, platform.url);
  return { id: localId(createConnection.id), practiceId, hooksBase: postCall.replace(/\/post-call$/, '') };
}

async function deliver(request: { url: string; headers: Readonly<Record<string, string>>; body: string }): Promise<number> {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  await response.arrayBuffer();
  return response.status;
}

function postCallsFor(connection: Connection): Map<string, CallRailDelivery> {
  const deliveries = renderCallRailDeliveries(fake.calls, { signingKey: fake.signingKey, urlPrefix: connection.hooksBase });
  return new Map(deliveries.filter((d) => d.webhook === 'post-call').map((d) => [d.leadId, d]));
}

/** Runs the queued jobs of these tasks with the worker's own task functions, as graphile-worker would. */
async function runJobs(...tasks: string[]): Promise<void> {
  const all = taskList(platform);
  // Deliveries gather for a quarter second before their job is due (migration 0027); a test need not wait it out.
  await platform.db.owner.query(
    `UPDATE graphile_worker._private_jobs j SET run_at = now() FROM graphile_worker._private_tasks t
      WHERE t.id = j.task_id AND t.identifier = ANY($1::text[]) AND j.run_at > now()`,
    [tasks],
  );
  await runOnce({
    pgPool: platform.db.owner, concurrency: 1, noHandleSignals: true,
    taskList: Object.fromEntries(tasks.map((name) => [name, all[name]!])),
    logger: new WorkerLogger(() => () => {}),
  });
}

/** One backfill run of the `calls` stream, queued as the 15-minute scheduler queues it. */
async function runBackfill(connection: Connection): Promise<{ status: string; counts: unknown }> {
  await queueSync(platform.jobs, 'callrail', { connectionId: connection.id, practiceId: connection.practiceId, stream: 'calls', trigger: 'schedule' });
  await runJobs(CALLS_SYNC_TASK);
  return withSystem(platform.db.owner, async (c) =>
    (await c.query<{ status: string; counts: unknown }>(
      'SELECT status, counts FROM sync_runs WHERE connection_id = $1 ORDER BY started_at DESC LIMIT 1',
      [connection.id],
    )).rows[0]!,
  );
}

interface StoredCall {
  id: string;
  source_id: string;
  content_hash: string;
  updated_at: string;
  deleted: boolean;
  tracking_number: string | null;
  gclid: string | null;
  source_label: string | null;
  classified_channel: string | null;
  channel_rule: string | null;
  contact_type: string | null;
  settled: boolean;
  name: Buffer | null;
  phone: Buffer | null;
}

async function storedCalls(connection: Connection): Promise<Map<string, StoredCall>> {
  const rows = await withSystem(platform.db.owner, async (c) =>
    (await c.query<StoredCall>(
      `SELECT id, source_id, encode(content_hash, 'hex') AS content_hash, updated_at::text AS updated_at, deleted_at IS NOT NULL AS deleted,
              tracking_number, gclid, source_label, classified_channel, channel_rule, contact_type, name, phone,
              settled_state IS NOT DISTINCT FROM lead_settle_key(content_hash, deleted_at) AS settled
         FROM leads WHERE connection_id = $1`,
      [connection.id],
    )).rows,
  );
  return new Map(rows.map((r) => [r.source_id, r]));
}

/** What identifies a stored row and its content: equal before and after means nothing was written to it. */
const fingerprint = (rows: Map<string, StoredCall>) =>
  Object.fromEntries([...rows].map(([sourceId, r]) => [sourceId, { id: r.id, contentHash: r.content_hash, updatedAt: r.updated_at }]));

const deliveryStatuses = (connection: Connection) =>
  withSystem(platform.db.owner, async (c) =>
    (await c.query<{ status: string; counts: Record<string, number> }>('SELECT status, counts FROM webhook_deliveries WHERE connection_id = $1', [connection.id])).rows,
  );

/** The REST v3 id is the call's identity: the lead every path must land it under. */
const leadIdOf = (call: WorldCall) => `callrail:call:${String(call.call.id)}`;

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceIds = (await createAgencyWithPractices(platform, 'Backfill Agency', ['Backfill Dental', 'Legacy Id Dental'])).practiceIds;
  admin = await signIn(platform, (await createUser(platform, { practices: practiceIds.map((p) => [p, 'admin'] as [string, 'admin']) })).email);
  fake = await startCallRailFake();
  // The company's last N calls, moved into the last day and a half: inside the first run's 30-day backfill window and
  // inside the 48-hour overlap every later run re-reads.
  fake.calls.splice(0, fake.calls.length - N);
  const newest = Date.now() - HOUR_MS;
  fake.calls.forEach((call, i) => {
    call.startMs = newest - (N - 1 - i) * 3 * HOUR_MS;
    call.call.start_time = call.call.created_at = isoWithOffset(call.startMs, String(call.call.company_time_zone));
  });
});
afterAll(async () => {
  await fake?.close();
  await platform?.close();
});

describe('the CallRail backfill closes the gap a dropped webhook leaves', () => {
  it('lands every call exactly once when k of N post-call webhooks never arrive, and re-running or redelivering changes nothing', async () => {
    const connection = await connectCallRail(practiceIds[0]!);
    const postCalls = postCallsFor(connection);
    // Drop calls of every tracker kind (a website-pool call with a gclid, the GBP number, the main line) and the newest
    // call, which sits at the edge of the backfill's cursor.
    const pick = (test: (c: WorldCall) => boolean) => fake.calls.find(test)!;
    const dropped = new Set([
      pick((c) => Boolean(c.call.gclid)), pick((c) => c.call.source_name === 'Google Business Profile'), pick((c) => c.call.source_name === 'Main Line'),
      fake.calls.at(-1)!,
    ]);
    expect(dropped.size).toBe(K);
    const delivered = fake.calls.filter((c) => !dropped.has(c));

    // CallRail posts each finished call once; we acknowledge and a job turns the delivery into a lead.
    for (const call of delivered) expect(await deliver(postCalls.get(call.lead.id)!.request)).toBe(200);
    await runJobs(PROCESS_WEBHOOKS_TASK);
    const afterWebhooks = await storedCalls(connection);
    expect([...afterWebhooks.keys()].sort()).toEqual(delivered.map(leadIdOf).sort());
    // The webhook's REST id (`resource_id`, beside its legacy integer `id`) is the key it landed under: what the
    // backfill must find again.
    for (const call of delivered) {
      const body = JSON.parse(postCalls.get(call.lead.id)!.request.body as string) as { id: number; resource_id: string };
      expect(typeof body.id).toBe('number');
      expect(afterWebhooks.has(`callrail:call:${body.resource_id}`)).toBe(true);
    }

    // The backfill inserts only the k missing calls; the N−k webhook-landed ones are found under the same key with the
    // same content (skipped, not updated), so the webhook and REST copies of a call are one record.
    const first = await runBackfill(connection);
    expect(first).toEqual({ status: 'succeeded', counts: { lead: { inserted: K, updated: 0, deleted: 0, skipped: N - K } } });
    const afterBackfill = await storedCalls(connection);
    expect(afterBackfill.size).toBe(N);
    expect([...afterBackfill.keys()].sort()).toEqual(fake.calls.map(leadIdOf).sort());
    expect([...afterBackfill.values()].filter((r) => r.deleted)).toEqual([]);
    const webhookLanded = (rows: Map<string, StoredCall>) => fingerprint(new Map([...rows].filter(([id]) => afterWebhooks.has(id))));
    expect(webhookLanded(afterBackfill)).toEqual(fingerprint(afterWebhooks));

    // The backfilled calls carry the caller, the number dialled and the session, and are classified and settled like
    // any webhook-landed call.
    const cipher = await withTenant(platform.db.prisma, { practiceIds: [connection.practiceId] }, (tx) => platform.keys.cipherFor(tx, connection.practiceId));
    const open = (field: 'name' | 'phone', sealed: Buffer | null) => (sealed === null ? null : cipher.decrypt(`lead.${field}`, sealed));
    for (const call of dropped) {
      const row = afterBackfill.get(leadIdOf(call))!;
      expect({ phone: open('phone', row.phone), name: open('name', row.name), trackingNumber: row.tracking_number, gclid: row.gclid }).toEqual({
        phone: call.call.customer_phone_number, name: call.call.customer_name || null, trackingNumber: call.call.tracking_phone_number, gclid: call.call.gclid || null,
      });
      expect(row).toMatchObject({ settled: true, classified_channel: expect.any(String), channel_rule: expect.any(String), contact_type: expect.any(String) });
    }
    expect(afterBackfill.get(leadIdOf(pick((c) => c.call.source_name === 'Google Business Profile'))!)?.classified_channel).toBe('google-business-profile');

    // A second run re-reads the whole 48-hour overlap and writes nothing.
    const second = await runBackfill(connection);
    expect(second).toEqual({ status: 'succeeded', counts: { lead: { inserted: 0, updated: 0, deleted: 0, skipped: N } } });
    expect(fingerprint(await storedCalls(connection))).toEqual(fingerprint(afterBackfill));

    // The other direction: after the backfill, a redelivered post-call, and the dropped calls' post-calls arriving late,
    // find their calls already stored, identical to what the webhook says (nothing rewritten, nothing added).
    const redelivered = delivered.find((c) => Boolean(c.call.gclid))!;
    for (const call of [redelivered, ...dropped]) expect(await deliver(postCalls.get(call.lead.id)!.request)).toBe(200);
    await runJobs(PROCESS_WEBHOOKS_TASK);
    const deliveries = await deliveryStatuses(connection);
    expect(deliveries).toHaveLength(N - K + 1 + K);
    expect(deliveries.filter((d) => d.status !== 'processed' || d.counts.lead !== 1)).toEqual([]);
    const afterRedelivery = await storedCalls(connection);
    expect(fingerprint(afterRedelivery)).toEqual(fingerprint(afterBackfill));
    expect([...afterRedelivery.values()].map((r) => [r.source_id, r.classified_channel, r.channel_rule, r.contact_type]))
      .toEqual([...afterBackfill.values()].map((r) => [r.source_id, r.classified_channel, r.channel_rule, r.contact_type]));
  });

  it('keys a post-call carrying CallRail’s legacy numeric id to the same lead as the REST listing of that call', async () => {
    // CallRail's webhook bodies carry the legacy integer `id` and the REST v3 id as `resource_id` (spec §2.3: `id` is an
    // integer in webhook examples; the connector's own fixture pre-call-numeric-id.json has both). REST v3 lists the
    // call under `id` = that `resource_id`. Both must resolve to one record, or every webhook-landed call is doubled.
    const connection = await connectCallRail(practiceIds[1]!);
    const call = fake.calls.find((c) => Boolean(c.call.gclid))!;
    const rendered = JSON.parse(postCallsFor(connection).get(call.lead.id)!.request.body) as Record<string, unknown>;
    const body = JSON.stringify({ ...rendered, id: 211077465, resource_id: call.call.id });
    const status = await deliver({ url: `${connection.hooksBase}/post-call`, headers: { 'content-type': 'application/json', signature: signCallRailBody(body, fake.signingKey) }, body });
    expect(status).toBe(200);
    await runJobs(PROCESS_WEBHOOKS_TASK);
    expect(await deliveryStatuses(connection)).toEqual([{ status: 'processed', counts: { lead: 1 } }]);

    expect((await runBackfill(connection)).status).toBe('succeeded');
    const stored = await storedCalls(connection);
    expect([...stored.keys()].sort()).toEqual(fake.calls.map(leadIdOf).sort());
  });
});
