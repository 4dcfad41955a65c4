import { readFile } from 'node:fs/promises';
import { signCallRailBody } from '@sourceline/connector-callrail';
import { renderMetaDeliveries, startMetaGraphFake } from '@sourceline/connector-meta-lead-ads/fake';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateKeys } from '../src/crypto/rotate-keys.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { completePlaceholders } from '../src/webhooks/complete-placeholders.ts';
import { processPendingDeliveries } from '../src/webhooks/process-deliveries.ts';
import { replayDeliveries } from '../src/webhooks/replay-deliveries.ts';
import { MAX_WEBHOOK_BYTES } from '../src/webhooks/webhook-routes.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices, createUser, globalId, localId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let admin: GraphQLClient;
let practiceId: string;

const fixture = (connector: string, file: string) => readFile(new URL(`../../connectors/${connector}/fixtures/${file}`, import.meta.url), 'utf8');
const CREATE = `mutation($p: ID!, $c: String!, $s: String!) {
  createConnection(practiceId: $p, connectorId: $c, settings: $s) { id webhooks { name url } }
}`;

async function connect(connectorId: string, settings: Record<string, unknown>): Promise<{ id: string; urls: Record<string, string> }> {
  const { createConnection } = await admin.data<{ createConnection: { id: string; webhooks: { name: string; url: string }[] } }>(CREATE, {
    p: globalId('Practice', practiceId),
    c: connectorId,
    s: JSON.stringify(settings),
  });
  // Links are minted for the public URL; the test server listens elsewhere.
  const urls = Object.fromEntries(createConnection.webhooks.map((w) => [w.name, w.url.replace(platform.config.publicUrl, platform.url)]));
  return { id: createConnection.id, urls };
}

async function deliver(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as { delivery?: string; error?: string; issues?: unknown[] } };
}

const queuedPayloads = async <P>(task: string) => (await platform.db.owner.query<{ payload: P }>(
  `SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = $1 ORDER BY j.id`,
  [task],
)).rows.map((r) => r.payload);

/** What the worker does for each connection's queued job: process everything waiting. */
async function processAll(): Promise<number> {
  let processed = 0;
  for (const payload of await queuedPayloads<{ connectionId: string; practiceId: string }>('process_webhooks')) {
    processed += await processPendingDeliveries(platform, payload);
  }
  await platform.db.owner.query(
    `DELETE FROM graphile_worker._private_jobs j USING graphile_worker._private_tasks t WHERE t.id = j.task_id AND t.identifier <> 'complete_placeholders'`,
  );
  return processed;
}

/** Then the placeholder completions that processing queued, as the worker would run them. */
async function completeAll(): Promise<number> {
  let completed = 0;
  for (const payload of await queuedPayloads<Parameters<typeof completePlaceholders>[1]>('complete_placeholders')) {
    completed += (await completePlaceholders(platform, payload)).completed;
  }
  await platform.db.owner.query(`DELETE FROM graphile_worker._private_jobs`);
  return completed;
}

const leads = () => withSystem(platform.db.owner, async (c) => (await c.query(`SELECT source_id, kind, source, medium, campaign, duration_seconds FROM leads ORDER BY source_id`)).rows);

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Hook Agency', ['Hook Dental']);
  practiceId = tenant.practiceIds[0]!;
  admin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
});
afterAll(() => platform.close());

describe('webhook deliveries', () => {
  it('stores a verified Gravity Forms entry sealed, acknowledges, and a job turns it into a lead once', async () => {
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: 'gf-shared-secret-123456' };
    const { urls } = await connect('gravity-forms', settings);
    expect(urls.entry).toMatch(/\/hooks\/[A-Za-z0-9_-]{32}\/entry$/);
    const body = await fixture('gravity-forms', 'entry-all-fields.json');
    const first = await deliver(urls.entry!, body, { 'x-sourceline-token': 'gf-shared-secret-123456' });
    expect(first).toMatchObject({ status: 200, body: { delivery: expect.any(String) } });
    // Gravity Forms never resends, but people do: a second delivery of the same entry is stored and changes nothing.
    expect((await deliver(urls.entry!, body, { 'x-sourceline-token': 'gf-shared-secret-123456' })).status).toBe(200);
    expect(await processAll()).toBe(2);
    expect(await leads()).toEqual([expect.objectContaining({ source_id: 'gf:bayside-smiles.example:1842', kind: 'form', source: 'google' })]);
    const dump = await dumpAllTables(platform.db.owner);
    expect(dump).not.toContain('Whitfield');
    expect(dump).not.toContain('dana.w@example.com');
  });

  it('queues one job for deliveries that arrive while it waits, and a fresh one behind a job already running', async () => {
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: 'gf-queue-secret-12345678' };
    const { id, urls } = await connect('gravity-forms', settings);
    const body = await fixture('gravity-forms', 'entry-all-fields.json');
    const send = async () => expect((await deliver(urls.entry!, body, { 'x-sourceline-token': 'gf-queue-secret-12345678' })).status).toBe(200);
    const jobs = async () =>
      (await platform.db.owner.query<{ key: string | null; locked: boolean; revision: number }>(
        `SELECT j.key, j.locked_at IS NOT NULL AS locked, j.revision FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
          WHERE t.identifier = 'process_webhooks' AND j.payload->>'connectionId' = $1 ORDER BY j.id`,
        [localId(id)],
      )).rows;
    await send();
    await send();
    // The waiting job will read both: the second delivery only looked at it (no revision: its row was not written).
    expect(await jobs()).toEqual([{ key: `webhooks:${localId(id)}`, locked: false, revision: 0 }]);
    // It waits a moment for more deliveries to process together (migration 0027), and no longer.
    const { rows: [waiting] } = await platform.db.owner.query<{ delay: number }>(
      `SELECT extract(epoch FROM run_at - created_at)::float8 AS delay FROM graphile_worker._private_jobs WHERE key = $1`,
      [`webhooks:${localId(id)}`],
    );
    expect(waiting!.delay).toBeCloseTo(0.25, 3);
    // A worker takes it; it may have read what was waiting before the next delivery commits, so that one queues anew.
    await platform.db.owner.query(`UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'test-worker' WHERE key = $1`, [`webhooks:${localId(id)}`]);
    await send();
    await send();
    expect(await jobs()).toEqual([{ key: null, locked: true, revision: 0 }, { key: `webhooks:${localId(id)}`, locked: false, revision: 0 }]);
    // A job backing off after a failure is brought forward by the next delivery, as graphile-worker's add_job does: to
    // the quarter second in which deliveries gather (migration 0027).
    await platform.db.owner.query(`UPDATE graphile_worker._private_jobs SET attempts = 1, run_at = now() + interval '1 hour' WHERE key = $1`, [`webhooks:${localId(id)}`]);
    await send();
    const [, retried] = await platform.db.owner.query<{ attempts: number; due: boolean }>(
      `SELECT j.attempts, j.run_at <= now() + interval '1 second' AS due FROM graphile_worker._private_jobs j WHERE j.payload->>'connectionId' = $1 ORDER BY j.id`,
      [localId(id)],
    ).then((r) => r.rows);
    expect(retried).toEqual({ attempts: 0, due: true });
    await platform.db.owner.query(`UPDATE graphile_worker._private_jobs SET locked_at = NULL, locked_by = NULL WHERE locked_by = 'test-worker'`);
    expect(await processAll()).toBe(5);
  });

  it('answers 401 to a wrong secret, 404 to an unknown address, 413 to an oversized body, and stores none of them', async () => {
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: 'gf-another-secret-1234567' };
    const { urls } = await connect('gravity-forms', settings);
    const before = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT count(*)::int AS n FROM webhook_deliveries')).rows[0].n);
    expect((await deliver(urls.entry!, '{}', { 'x-sourceline-token': 'guessing-the-secret-000' })).status).toBe(401);
    expect((await deliver(urls.entry!.replace(/hooks\/[^/]+/, 'hooks/not-a-real-secret'), '{}')).status).toBe(404);
    expect((await deliver(urls.entry!, 'x'.repeat(MAX_WEBHOOK_BYTES + 10), { 'x-sourceline-token': 'gf-another-secret-1234567' })).status).toBe(413);
    const after = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT count(*)::int AS n FROM webhook_deliveries')).rows[0].n);
    expect(after).toBe(before);
    const audited = await withSystem(platform.db.owner, async (c) => (await c.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'webhook.signature_rejected'`)).rows[0].n);
    expect(audited).toBe(1);
  });

  it("takes a known endpoint's next delivery in one round trip, and looks again once its secret, settings or keys change", async () => {
    const secret = 'gf-known-endpoint-secret-1';
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: secret };
    const { id, urls } = await connect('gravity-forms', settings);
    const body = await fixture('gravity-forms', 'entry-all-fields.json');
    const sent = (token: string, url = urls.entry!) => deliver(url, body, { 'x-sourceline-token': token });
    expect((await sent(secret)).status).toBe(200);

    // Every statement the app's connections send while one delivery is answered.
    const statements = async (run: () => Promise<unknown>): Promise<string[]> => {
      const seen: string[] = [];
      const query = pg.Client.prototype.query;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        if (typeof args[0] === 'string') seen.push(args[0]);
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      try {
        await run();
      } finally {
        pg.Client.prototype.query = query;
      }
      return seen.filter((text) => /webhook_deliveries|connections/.test(text));
    };
    const known = await statements(async () => expect((await sent(secret)).status).toBe(200));
    expect(known).toHaveLength(1);
    expect(known[0]).toMatch(/^BEGIN;[\s\S]*INSERT INTO webhook_deliveries[\s\S]*WHERE EXISTS[\s\S]*; COMMIT$/);

    // New settings: the old shared secret no longer verifies, though it did with what the endpoint was found with.
    const rotated = 'gf-known-endpoint-secret-2';
    await admin.data('mutation($id: ID!, $s: String!) { updateConnection(id: $id, settings: $s) { id } }', { id, s: JSON.stringify({ webhookSecret: rotated }) });
    expect((await sent(secret)).status).toBe(401);
    expect((await sent(rotated)).status).toBe(200);

    // A new address: the old one answers 404 at once.
    const { rotateWebhookSecret } = await admin.data<{ rotateWebhookSecret: { webhooks: { name: string; url: string }[] } }>(
      'mutation($id: ID!) { rotateWebhookSecret(id: $id) { webhooks { name url } } }',
      { id },
    );
    expect((await sent(rotated)).status).toBe(404);
    const next = rotateWebhookSecret.webhooks.find((w) => w.name === 'entry')!.url.replace(platform.config.publicUrl, platform.url);
    expect((await sent(rotated, next)).status).toBe(200);
    expect((await sent(rotated, next)).status).toBe(200);

    // New data key versions: the next delivery is sealed with the newest, not with the cipher the endpoint was found with.
    await rotateKeys(platform.db.owner, platform.ring, { newDataKeyVersions: true });
    const stored = await sent(rotated, next);
    expect(stored.status).toBe(200);
    const versions = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ sealed: number; newest: number }>(
        `SELECT get_byte(d.body_sealed, 4) + 256 * get_byte(d.body_sealed, 3) AS sealed,
                (SELECT max(version) FROM data_keys k WHERE k.practice_id = d.practice_id) AS newest
           FROM webhook_deliveries d WHERE d.id = $1`,
        [stored.body.delivery],
      )).rows[0]!,
    );
    expect(versions.sealed).toBe(versions.newest);
    expect(versions.newest).toBeGreaterThan(1);
    expect(await processAll()).toBe(6);
  });

  it('quarantines an unreadable payload with its reasons, and replays it on request', async () => {
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: 'gf-third-secret-12345678' };
    const { id, urls } = await connect('gravity-forms', settings);
    const answer = await deliver(urls.entry!, '{"form_id": "99", "id": "5"', { 'x-sourceline-token': 'gf-third-secret-12345678' });
    expect(answer.status).toBe(400);
    expect(answer.body.issues?.length).toBeGreaterThan(0);
    const connectionId = localId(id);
    const jobsFor = async () =>
      (
        await platform.db.owner.query(
          `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
            WHERE t.identifier = 'process_webhooks' AND j.payload->>'connectionId' = $1`,
          [connectionId],
        )
      ).rows[0].n;
    expect(await jobsFor()).toBe(0);
    expect(await replayDeliveries(platform.db.owner, { connectionId, statuses: ['quarantined'] })).toBe(1);
    expect(await jobsFor()).toBe(1);
  });

  it('keeps a full CallRail call when a late pre-call placeholder for it arrives', async () => {
    const { urls } = await connect('callrail', { accountId: 'ACC123', apiKey: 'test-api-key', signingKey: 'callrail-signing-key' });
    const post = await fixture('callrail', 'post-call.json');
    const pre = JSON.stringify({ ...JSON.parse(post), duration: null, answered: null });
    expect((await deliver(urls['post-call']!, post, { signature: signCallRailBody(post, 'callrail-signing-key') })).status).toBe(200);
    expect((await deliver(urls['pre-call']!, pre, { signature: signCallRailBody(pre, 'callrail-signing-key') })).status).toBe(200);
    await processAll();
    const call = (await leads()).find((l) => String(l.source_id).startsWith('callrail:call:'));
    expect(call?.duration_seconds).toBeGreaterThan(0);
  });

  it('fetches the full lead behind each Meta leadgen notice, and flags the connection when the token is refused', async () => {
    const fake = await startMetaGraphFake({ seed: 5 });
    try {
      const settings = { graphBaseUrl: fake.graphBaseUrl, pageId: fake.page.pageId, pageAccessToken: fake.accessToken, appSecret: fake.appSecret, verifyToken: fake.verifyToken };
      const { id, urls } = await connect('meta-lead-ads', settings);
      const deliveries = renderMetaDeliveries(fake.page, { appSecret: fake.appSecret }).slice(0, 3);
      const announced = deliveries.flatMap((d) => JSON.parse(d.request.body as string).entry[0].changes.map((c: { value: { leadgen_id: string } }) => `meta:lead:${c.value.leadgen_id}`)).sort();
      for (const d of deliveries) expect((await deliver(urls.leadgen!, d.request.body as string, { 'x-hub-signature-256': d.request.headers['x-hub-signature-256']! })).status).toBe(200);
      const metaLeads = async () => (await leads()).filter((l) => String(l.source_id).startsWith('meta:lead:'));
      const withContact = async () => withSystem(platform.db.owner, async (c) => (await c.query(
        `SELECT count(*)::int AS n FROM leads WHERE connection_id = $1 AND (name IS NOT NULL OR phone IS NOT NULL OR email IS NOT NULL)`, [localId(id)],
      )).rows[0].n);
      expect(await processAll()).toBe(3);
      // Placeholders first: the ids and submission times, nobody to contact.
      expect((await metaLeads()).map((l) => l.source_id)).toEqual(announced);
      expect(await withContact()).toBe(0);
      expect(await completeAll()).toBe(announced.length);
      expect((await metaLeads()).map((l) => l.source_id)).toEqual(announced);
      expect(await withContact()).toBe(announced.length);

      const refused = await connect('meta-lead-ads', { ...settings, pageAccessToken: 'expired-token' });
      const [next] = renderMetaDeliveries(fake.page, { appSecret: fake.appSecret }).slice(3);
      expect((await deliver(refused.urls.leadgen!, next!.request.body as string, { 'x-hub-signature-256': next!.request.headers['x-hub-signature-256']! })).status).toBe(200);
      await processAll();
      expect(await completeAll()).toBe(0);
      const status = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT status, status_message FROM connections WHERE id = $1', [localId(refused.id)])).rows[0]);
      expect(status).toMatchObject({ status: 'auth_failed', status_message: expect.stringMatching(/code 190/) });
    } finally {
      await fake.close();
    }
  });

  it('answers Meta’s subscribe handshake from the verify token, without storing anything', async () => {
    const { urls } = await connect('meta-lead-ads', { appSecret: 'meta-app-secret', verifyToken: 'meta-verify-token', pageAccessToken: 'token', pageId: '123' });
    const ok = await fetch(`${urls.leadgen}?hub.mode=subscribe&hub.verify_token=meta-verify-token&hub.challenge=1158201444`);
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    const wrong = await fetch(`${urls.leadgen}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
  });
});
