import { startOpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practice: string;
let admin: GraphQLClient;
let viewer: GraphQLClient;

const CREATE = `mutation($p: ID!, $s: String!) {
  createConnection(practiceId: $p, connectorId: "open-dental", settings: $s) { id displayName status settings }
}`;
const settings = JSON.stringify({ baseUrl: 'http://127.0.0.1:9/api/v1', developerKey: 'dev-key-123', customerKey: 'cust-key-456', timeZone: 'America/Chicago' });

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Conn Agency', ['Conn Dental']);
  practice = globalId('Practice', tenant.practiceIds[0]!);
  admin = await signIn(platform, (await createUser(platform, { practices: [[tenant.practiceIds[0]!, 'admin']] })).email);
  viewer = await signIn(platform, (await createUser(platform, { practices: [[tenant.practiceIds[0]!, 'viewer']] })).email);
});
afterAll(() => platform.close());

describe('connections through the API', () => {
  it('lists connectors, with the declared stubs marked coming soon', async () => {
    const { connectors } = await admin.data<{ connectors: { id: string; status: string; secretFields: string[]; canTest: boolean; settingsSchema: string }[] }>(
      '{ connectors { id status secretFields canTest settingsSchema } }',
    );
    const od = connectors.find((c) => c.id === 'open-dental')!;
    expect(od.canTest).toBe(true);
    expect(JSON.parse(od.settingsSchema).properties.mode.enum).toEqual(['remote', 'service', 'local']);
    expect(connectors).toEqual(expect.arrayContaining([
      expect.objectContaining({ id: 'open-dental', status: 'available', secretFields: ['developerKey', 'customerKey'] }),
      expect.objectContaining({ id: 'dentrix', status: 'coming-soon' }),
    ]));
  });

  it('creates a connection, never shows its secrets back, and queues a sync on request', async () => {
    const { createConnection } = await admin.data<{ createConnection: { id: string; settings: string; status: string } }>(CREATE, { p: practice, s: settings });
    expect(createConnection.status).toBe('new');
    expect(createConnection.settings).not.toMatch(/dev-key-123|cust-key-456/);
    expect(JSON.parse(createConnection.settings)).toMatchObject({ timeZone: 'America/Chicago', customerKey: '••••••' });
    await admin.data('mutation($id: ID!) { syncConnectionNow(id: $id) { id } }', { id: createConnection.id });
    await admin.data('mutation($id: ID!) { syncConnectionNow(id: $id) { id } }', { id: createConnection.id });
    // The queue belongs to the owner (graphile-worker runs as it): one job per stream, the second request deduplicated.
    const jobs = (await platform.db.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier LIKE 'sync_stream:%'`)).rows[0].n;
    expect(jobs).toBe(7);
    const dump = (await platform.db.owner.query('SELECT to_jsonb(j)::text AS p FROM graphile_worker._private_jobs j')).rows.map((r) => r.p).join();
    expect(dump).not.toMatch(/dev-key-123|cust-key-456/);
  });

  it('tests a connection: an unreachable office is an error, a rejected key flags auth, a good one clears it', async () => {
    const sim = await startOpenDentalSimulator({ seed: 3, patients: 10 });
    try {
      const TEST = 'mutation($id: ID!) { testConnection(id: $id) { ok message } }';
      const { createConnection: dead } = await admin.data<{ createConnection: { id: string } }>(CREATE, { p: practice, s: settings });
      expect((await admin.data<{ testConnection: { ok: boolean } }>(TEST, { id: dead.id })).testConnection.ok).toBe(false);
      const wrong = JSON.stringify({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'nope', timeZone: 'America/Chicago' });
      const { createConnection: od } = await admin.data<{ createConnection: { id: string } }>(CREATE, { p: practice, s: wrong });
      const rejected = await admin.data<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: od.id });
      expect(rejected.testConnection).toEqual({ ok: false, message: expect.stringMatching(/customer key \(401\)/) });
      const STATUS = 'query($id: ID!) { node(id: $id) { ... on Connection { status } } }';
      expect(await admin.data(STATUS, { id: od.id })).toEqual({ node: { status: 'auth_failed' } });
      await admin.data('mutation($id: ID!, $s: String!) { updateConnection(id: $id, settings: $s) { id } }', { id: od.id, s: JSON.stringify({ customerKey: 'sim-customer-key' }) });
      const fixed = await admin.data<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: od.id });
      expect(fixed.testConnection).toEqual({ ok: true, message: expect.stringMatching(/^Connected/) });
      expect(await admin.data(STATUS, { id: od.id })).toEqual({ node: { status: 'ok' } });
    } finally {
      await sim.close();
    }
  });

  it('names every bad setting and refuses the stubs', async () => {
    const bad = await admin.error(CREATE, { p: practice, s: JSON.stringify({ baseUrl: 'not a url', timeZone: 'Mars/Olympus' }) });
    expect(bad.code).toBe('BAD_USER_INPUT');
    const { body } = await admin.raw(CREATE, { p: practice, s: JSON.stringify({ baseUrl: 'not a url', timeZone: 'Mars/Olympus' }) });
    const problems = body.errors?.[0]?.extensions as { problems?: { path: string[] }[] } | undefined;
    expect(problems?.problems?.map((p) => p.path[0])).toEqual(expect.arrayContaining(['baseUrl', 'developerKey', 'customerKey', 'timeZone']));
    for (const field of ['baseUrl', 'developerKey', 'customerKey', 'timeZone']) expect(bad.message).toContain(field);
    const stub = await admin.error('mutation($p: ID!) { createConnection(practiceId: $p, connectorId: "dentrix", settings: "{}") { id } }', { p: practice });
    expect(stub.message).toMatch(/coming soon/);
  });

  it('lets viewers see sync health but not settings, and not create connections', async () => {
    const { node } = await viewer.data<{ node: { connections: { status: string }[] } }>('query($p: ID!) { node(id: $p) { ... on Practice { connections { status } } } }', { p: practice });
    expect(node.connections.length).toBeGreaterThan(0);
    const hidden = await viewer.raw('query($p: ID!) { node(id: $p) { ... on Practice { connections { settings } } } }', { p: practice });
    expect(hidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await viewer.error(CREATE, { p: practice, s: settings })).code).toBe('FORBIDDEN');
  });
});
