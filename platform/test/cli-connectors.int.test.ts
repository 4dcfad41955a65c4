import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allConnectors } from '../src/connections/registry.ts';
import { appRoleUrl } from '../src/db/app-role.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { processPendingDeliveries } from '../src/webhooks/process-deliveries.ts';
import { runCli } from './cli.ts';
import { createAgencyWithPractices, createUser, globalId, localId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturePath = (connector: string, file: string) => path.join(root, 'connectors', connector, 'fixtures', file);
const fixture = (connector: string, file: string) => readFile(fixturePath(connector, file), 'utf8');

interface ParsedRecord {
  kind: string;
  record: Record<string, unknown>;
}

/** `sourceline connector parse …` with its stdout read as the JSON array it promises. */
async function parseWithCli(connector: string, endpoint: string, file: string, flags: string[] = []) {
  const result = await runCli(['connector', 'parse', connector, endpoint, file, ...flags]);
  let records: ParsedRecord[] | undefined;
  try {
    records = JSON.parse(result.stdout) as ParsedRecord[];
  } catch {
    records = undefined;
  }
  return { ...result, records };
}

describe('sourceline connector parse', () => {
  interface SavedPayload {
    connector: string;
    endpoint: string;
    file: string;
    /** Settings a real connection would have; without them some parsers warn (and the CLI exits 1). */
    flags?: () => Promise<string[]>;
    kinds: string[];
    count: number;
    /** A record the fixture is known to hold, by fields that prove the mapping ran. */
    known: { kind: string; fields: Record<string, unknown> };
  }

  // One saved payload per connector, streams and webhooks both represented (the CLI calls them differently). Each
  // run is a full CLI start, so the connectors' own tests, not this table, cover each endpoint's mapping.
  const savedPayloads: SavedPayload[] = [
    {
      connector: 'open-dental', endpoint: 'payments', file: 'payments.json', flags: async () => ['--time-zone', 'America/Los_Angeles'],
      kinds: ['payment'], count: 8, known: { kind: 'payment', fields: { id: '802', amountCents: -5050, locationId: null } },
    },
    {
      connector: 'pms-csv', endpoint: 'patients', file: 'patients.csv', flags: async () => ['--time-zone', 'America/Los_Angeles'],
      kinds: ['patient'], count: 3, known: { kind: 'patient', fields: { id: 'P-1002', lastName: 'Smith, Jr.', preferredName: 'Bob' } },
    },
    {
      connector: 'gravity-forms', endpoint: 'entry', file: 'entry-all-fields.json', flags: async () => ['--settings', await fixture('gravity-forms', 'settings.json')],
      kinds: ['lead'], count: 1, known: { kind: 'lead', fields: { id: 'gf:bayside-smiles.example:1842', name: 'Dana Whitfield', campaign: 'spring-invisalign-2025' } },
    },
    {
      connector: 'callrail', endpoint: 'post-call', file: 'post-call.json',
      kinds: ['lead'], count: 1, known: { kind: 'lead', fields: { id: 'callrail:call:CAL5f0c2e9a1b7d4c3e8a6f9b2d1c0e7a44', durationSeconds: 187 } },
    },
    {
      connector: 'google-ads', endpoint: 'spend', file: 'search-campaign-days.json',
      kinds: ['spend'], count: 3, known: { kind: 'spend', fields: { id: '20000000002:2025-03-13', costCents: 4822, clicks: 5 } },
    },
    {
      connector: 'google-business-profile', endpoint: 'daily-metrics', file: 'multi-daily-metrics.json',
      flags: async () => ['--settings', JSON.stringify({ locationIds: ['4412345678901234567'] })],
      kinds: ['gbp-metric'], count: 2, known: { kind: 'gbp-metric', fields: { id: 'gbp:4412345678901234567:2025-03-13', callClicks: 4, websiteClicks: 11 } },
    },
    {
      connector: 'ga4', endpoint: 'traffic', file: 'run-report.json', flags: async () => ['--settings', JSON.stringify({ propertyId: '312345678' })],
      kinds: ['ga4-metric'], count: 4, known: { kind: 'ga4-metric', fields: { date: '2025-03-13', source: '(direct)', sessions: 31, propertyId: '312345678' } },
    },
    {
      connector: 'meta-lead-ads', endpoint: 'leadgen', file: 'leadgen-webhook.json',
      kinds: ['lead'], count: 1, known: { kind: 'lead', fields: { id: 'meta:lead:900000000000042', occurredAt: '2024-03-14T16:02:09.000Z' } },
    },
    {
      connector: 'website', endpoint: 'collect', file: 'tel-click.json',
      kinds: ['lead'], count: 1, known: { kind: 'lead', fields: { id: 'web:tel:2f0c6f5e-7d1a-4bb8-9a55-0b8f1e2d3c4a', kind: 'click-to-call', gclid: 'Cj0KCQjw-EXAMPLE' } },
    },
  ];
  // The issue allows exactly these two stubs; they must say so rather than print an empty success.
  const declaredStubs = ['dentrix', 'eaglesoft'];
  // Spend typed in by admins: nothing is pulled or pushed, so there is nothing to parse.
  const nothingToParse = ['manual-spend'];

  it('has a saved payload for every installed connector that declares a stream or webhook', () => {
    const installed = allConnectors();
    const endpointsOf = (id: string) => {
      const c = installed.find((x) => x.id === id)!;
      return [...c.streams.map((s) => s.name), ...c.webhooks.map((w) => w.name)];
    };
    const accountedFor = new Set([...savedPayloads.map((p) => p.connector), ...declaredStubs, ...nothingToParse]);
    expect(installed.map((c) => c.id).filter((id) => !accountedFor.has(id)), 'connectors without a parse fixture in this test').toEqual([]);
    expect(installed.filter((c) => c.status === 'coming-soon').map((c) => c.id).sort()).toEqual([...declaredStubs].sort());
    for (const id of nothingToParse) expect(endpointsOf(id), id).toEqual([]);
    for (const p of savedPayloads) {
      expect(installed.find((c) => c.id === p.connector)?.status, p.connector).toBe('available');
      expect(endpointsOf(p.connector), p.connector).toContain(p.endpoint);
    }
  });

  // Each case starts the CLI; side by side they contend for the CPU, so allow more than the default 30 s.
  describe.concurrent('on a saved payload of each connector', { timeout: 90_000 }, () => {
    for (const p of savedPayloads) {
      it(`${p.connector} ${p.endpoint} ${p.file} prints its canonical records as JSON and exits 0`, async () => {
        const result = await parseWithCli(p.connector, p.endpoint, fixturePath(p.connector, p.file), await (p.flags?.() ?? []));
        expect(result.stderr).toBe(`${p.count} record(s), 0 problem(s)\n`);
        expect(result.code).toBe(0);
        expect(result.records).toHaveLength(p.count);
        expect([...new Set(result.records!.map((r) => r.kind))]).toEqual(p.kinds);
        expect(result.records).toContainEqual({ kind: p.known.kind, record: expect.objectContaining(p.known.fields) });
      });
    }

    for (const id of declaredStubs) {
      it(`${id} says plainly that it is not implemented, prints no records and exits 1`, async () => {
        const stub = allConnectors().find((c) => c.id === id)!;
        // Stubs have no payloads of their own; a CSV export is what a practice on Dentrix or Eaglesoft would have.
        const result = await parseWithCli(id, stub.streams[0]!.name, fixturePath('pms-csv', 'patients.csv'));
        expect(result.code).toBe(1);
        expect(result.records).toEqual([]);
        expect(result.stderr.startsWith(`patients.csv — (connector): The ${stub.displayName} connector is not implemented yet`)).toBe(true);
        expect(result.stderr).toContain('0 record(s), 1 problem(s)');
      });
    }

    it('exits 1 on Open Dental quirk rows, naming the record and field, and still prints every record', async () => {
      const result = await parseWithCli('open-dental', 'patients', fixturePath('open-dental', 'quirks/patients-simple.json'), ['--time-zone', 'America/Los_Angeles']);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('PatNum 2042 — Email: not an email address; left out\n2 record(s), 1 problem(s)\n');
      // A bad e-mail drops the field, not the patient.
      expect(result.records).toContainEqual({ kind: 'patient', record: expect.objectContaining({ id: '2042', email: null, status: 'deleted' }) });
      expect(result.records).toContainEqual({ kind: 'patient', record: expect.objectContaining({ id: '2041', lastName: "O'Brien-Muñoz", birthDate: null }) });
      // Support pastes this output into tickets: the field is named, the patient's value is not repeated.
      expect(result.stderr).not.toContain('not-an-email');
    });

    it('exits 1 on a PMS CSV with bad cells, naming file, line and column, and imports none of its rows', async () => {
      const result = await parseWithCli('pms-csv', 'patients', fixturePath('pms-csv', 'patients-with-errors.csv'), ['--time-zone', 'America/Los_Angeles']);
      expect(result.code).toBe(1);
      expect(result.records).toEqual([]);
      const lines = result.stderr.split('\n');
      expect(lines).toEqual(expect.arrayContaining([
        'patients-with-errors.csv line 3 — last_name: is required',
        'patients-with-errors.csv line 4 — birth_date: not a real calendar date',
        'patients-with-errors.csv line 5 — patient_id: duplicate id (first on line 2)',
        '0 record(s), 5 problem(s)',
      ]));
      expect(result.stderr).not.toContain('alan-at-example.com');
    });

    it('exits 2 with the choices when the connector, the stream or the file does not exist', async () => {
      const file = fixturePath('open-dental', 'payments.json');
      const [connector, stream, missing, nothing] = await Promise.all([
        runCli(['connector', 'parse', 'opendental', 'payments', file]),
        runCli(['connector', 'parse', 'open-dental', 'invoices', file]),
        runCli(['connector', 'parse', 'open-dental', 'payments', fixturePath('open-dental', 'no-such-page.json')]),
        runCli(['connector', 'parse', 'manual-spend', 'spend', file]),
      ]);
      expect(connector).toMatchObject({ code: 2, stdout: '' });
      expect(connector.stderr).toMatch(/^sourceline: no connector "opendental" \(installed: .*open-dental/);
      for (const c of allConnectors()) expect(connector.stderr).toContain(c.id);
      expect(stream).toMatchObject({ code: 2, stdout: '' });
      expect(stream.stderr).toContain('connector "open-dental" has no stream or webhook "invoices" (it has: locations, providers, patients, referral-sources, appointments, procedures, payments)');
      expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('cannot read') });
      expect(nothing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('connector "manual-spend" has no stream or webhook "spend"') });
    });
  });
});

/** Runs a command to completion with only PATH and HOME from this process: a vitest worker's own variables would leak into a nested vitest. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: '1', NO_COLOR: '1' }, timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('sourceline connector new', { timeout: 60_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sourceline-scaffold-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Stands in for the `npm install` the CLI asks for: the SDK from this workspace, the tools the SDK itself uses. */
  async function linkDependencies(packageDir: string): Promise<void> {
    await mkdir(path.join(packageDir, 'node_modules/@sourceline'), { recursive: true });
    await mkdir(path.join(packageDir, 'node_modules/@types'), { recursive: true });
    await symlink(path.join(root, 'sdk'), path.join(packageDir, 'node_modules/@sourceline/sdk'));
    for (const dep of ['zod', 'vitest', 'typescript', '@types/node']) {
      await symlink(path.join(root, 'sdk/node_modules', dep), path.join(packageDir, 'node_modules', dep));
    }
  }

  const filesOf = async (packageDir: string) => (await readdir(packageDir, { recursive: true, withFileTypes: true }))
    .filter((f) => f.isFile()).map((f) => path.relative(packageDir, path.join(f.parentPath, f.name))).sort();

  it('scaffolds standalone lead-source and PMS connectors outside the repository whose own tests pass and which typecheck', async () => {
    const { version } = JSON.parse(await readFile(path.join(root, 'sdk/package.json'), 'utf8')) as { version: string };
    const [leads, pms] = await Promise.all([
      runCli(['connector', 'new', 'acme-leads', '--dir', dir]),
      runCli(['connector', 'new', 'acme-pms', '--kind', 'pms', '--dir', dir]),
    ]);
    const leadsDir = path.join(dir, 'acme-leads');
    const pmsDir = path.join(dir, 'acme-pms');
    // A folder outside the repository cannot join the workspace, so the package depends on the published SDK.
    expect(leads).toMatchObject({ code: 0, stdout: `created ${leadsDir} (standalone, @sourceline/sdk ^${version})\nnext: cd ${leadsDir} && npm install && npx vitest run\n` });
    expect(pms.code).toBe(0);

    expect(await filesOf(leadsDir)).toEqual([
      'fixtures/leads-page.json', 'package.json', 'src/index.ts', 'src/settings.ts', 'src/streams/leads.test.ts', 'src/streams/leads.ts', 'tsconfig.json', 'vitest.config.ts',
    ]);
    expect(await filesOf(pmsDir)).toEqual([
      'fixtures/patients-page.json', 'package.json', 'src/index.ts', 'src/settings.ts', 'src/streams/patients.test.ts', 'src/streams/patients.ts', 'tsconfig.json', 'vitest.config.ts',
    ]);
    const pkg = JSON.parse(await readFile(path.join(leadsDir, 'package.json'), 'utf8')) as { name: string; dependencies: Record<string, string> };
    expect(pkg).toMatchObject({ name: '@sourceline/connector-acme-leads', dependencies: { '@sourceline/sdk': `^${version}` } });
    expect(await readFile(path.join(leadsDir, 'tsconfig.json'), 'utf8')).not.toContain('extends');
    expect(await readFile(path.join(pmsDir, 'src/index.ts'), 'utf8')).toMatch(/id: 'acme-pms',\s+kind: 'pms'/);

    await Promise.all([linkDependencies(leadsDir), linkDependencies(pmsDir)]);
    const vitest = (cwd: string) => run(process.execPath, [path.join(cwd, 'node_modules/vitest/vitest.mjs'), 'run'], cwd, 60_000);
    // Vitest strips types without checking them, so the scaffold's strictness is proven separately by tsc.
    const tsc = (cwd: string) => run(process.execPath, [path.join(cwd, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], cwd, 60_000);
    const [leadsTests, pmsTests] = await Promise.all([vitest(leadsDir), vitest(pmsDir)]);
    expect(leadsTests.output).toMatch(/Tests\s+2 passed \(2\)/);
    expect(leadsTests.code).toBe(0);
    expect(pmsTests.output).toMatch(/Tests\s+2 passed \(2\)/);
    expect(pmsTests.code).toBe(0);
    expect(await Promise.all([tsc(leadsDir), tsc(pmsDir)])).toEqual([{ code: 0, output: '' }, { code: 0, output: '' }]);
  }, 120_000);

  it('refuses to overwrite an existing connector, a name that is not kebab-case or an unknown kind', async () => {
    const before = await readFile(path.join(dir, 'acme-leads/src/index.ts'), 'utf8');
    const [again, badName, badKind] = await Promise.all([
      runCli(['connector', 'new', 'acme-leads', '--dir', dir]),
      runCli(['connector', 'new', 'Acme_Leads', '--dir', dir]),
      runCli(['connector', 'new', 'acme-ehr', '--kind', 'ehr', '--dir', dir]),
    ]);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining(`${dir}/acme-leads already exists`) });
    expect(await readFile(path.join(dir, 'acme-leads/src/index.ts'), 'utf8')).toBe(before);
    expect(badName).toMatchObject({ code: 2, stderr: expect.stringContaining('must be kebab-case') });
    expect(badKind).toMatchObject({ code: 2, stderr: expect.stringContaining('--kind must be pms or lead-source') });
    expect((await readdir(dir)).sort()).toEqual(['acme-leads', 'acme-pms']);
  });
});

describe('sourceline leads replay', { timeout: 60_000 }, () => {
  let platform: TestPlatform;
  let admin: GraphQLClient;
  let practiceId: string;
  let cliEnv: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    const tenant = await createAgencyWithPractices(platform, 'Replay Agency', ['Replay Dental']);
    practiceId = tenant.practiceIds[0]!;
    admin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
    dataDir = await mkdtemp(path.join(tmpdir(), 'sourceline-replay-'));
    // The app password of the run: without it the CLI would set a new one on the shared cluster's role.
    cliEnv = {
      DATABASE_URL: platform.db.ownerUrl,
      APP_DATABASE_URL: appRoleUrl(platform.db.ownerUrl, inject('pgAppPassword')),
      SOURCELINE_MASTER_KEY: platform.masterKey,
      DATA_DIR: dataDir,
    };
  });
  afterAll(async () => {
    await platform.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A Gravity Forms connection with the fixture's field maps; returns its uuid and entry URL on the test server. */
  async function connectGravityForms(secret: string): Promise<{ connectionId: string; url: string }> {
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: secret };
    const { createConnection } = await admin.data<{ createConnection: { id: string; webhooks: { name: string; url: string }[] } }>(
      `mutation($p: ID!, $c: String!, $s: String!) { createConnection(practiceId: $p, connectorId: $c, settings: $s) { id webhooks { name url } } }`,
      { p: globalId('Practice', practiceId), c: 'gravity-forms', s: JSON.stringify(settings) },
    );
    const url = createConnection.webhooks.find((w) => w.name === 'entry')!.url.replace(platform.config.publicUrl, platform.url);
    return { connectionId: localId(createConnection.id), url };
  }

  async function deliver(url: string, secret: string, body: string): Promise<{ status: number; delivery: string }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sourceline-token': secret }, body });
    return { status: response.status, delivery: ((await response.json()) as { delivery: string }).delivery };
  }

  const delivery = async (id: string) =>
    withSystem(platform.db.owner, async (c) => (await c.query<{ status: string; failure: string | null; counts: Record<string, number> | null }>(
      'SELECT status, failure, counts FROM webhook_deliveries WHERE id = $1', [id])).rows[0]!);

  const queuedFor = async (connectionId: string) => (await platform.db.owner.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'process_webhooks' AND j.payload->>'connectionId' = $1`, [connectionId])).rows[0]!.n;

  /** What a running worker does with each queued process_webhooks job: process that connection's waiting deliveries. */
  async function runQueuedWebhookJobs(): Promise<void> {
    const { rows } = await platform.db.owner.query<{ id: string; payload: { connectionId: string; practiceId: string } }>(
      `SELECT j.id, j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'process_webhooks'`,
    );
    for (const job of rows) {
      await processPendingDeliveries(platform, job.payload);
      await platform.db.owner.query('DELETE FROM graphile_worker._private_jobs WHERE id = $1', [job.id]);
    }
  }

  const leadIds = () => withSystem(platform.db.owner, async (c) => (await c.query<{ source_id: string }>('SELECT source_id FROM leads ORDER BY source_id')).rows.map((r) => r.source_id));

  it('queues the quarantined deliveries of one connection, and the worker then lands their leads', async () => {
    const fixed = await connectGravityForms('gf-replay-secret-fixed-0001');
    const other = await connectGravityForms('gf-replay-secret-other-0002');
    const received = await deliver(fixed.url, 'gf-replay-secret-fixed-0001', await fixture('gravity-forms', 'entry-all-fields.json'));
    expect(received.status).toBe(200);
    // Today's parser reads every fixture, so stand in for "quarantined before the connector fix shipped": the state
    // receipt leaves an unreadable payload in, with its processing job never run.
    await withSystem(platform.db.owner, (c) => c.query(`UPDATE webhook_deliveries SET status = 'quarantined', failure = 'the connector could not read the payload' WHERE id = $1`, [received.delivery]));
    await platform.db.owner.query(`DELETE FROM graphile_worker._private_jobs`);
    const unreadable = await deliver(other.url, 'gf-replay-secret-other-0002', '{"form_id": "3", "id": "77"');
    expect(unreadable.status).toBe(400);

    const replayed = await runCli(['leads', 'replay', '--connection', fixed.connectionId], cliEnv);
    expect(replayed).toMatchObject({ code: 0, stdout: 'Queued 1 delivery for processing; a running worker picks them up.\n' });
    expect(await delivery(received.delivery)).toMatchObject({ status: 'received', failure: null });
    expect(await queuedFor(fixed.connectionId)).toBe(1);
    // --connection kept the other connection's delivery out of it.
    expect((await delivery(unreadable.delivery)).status).toBe('quarantined');
    expect(await queuedFor(other.connectionId)).toBe(0);
    expect(await leadIds()).toEqual([]);

    await runQueuedWebhookJobs();
    expect(await delivery(received.delivery)).toMatchObject({ status: 'processed', failure: null, counts: { lead: 1 } });
    expect(await leadIds()).toEqual(['gf:bayside-smiles.example:1842']);
  });

  it('leaves a delivery the connector still cannot read in quarantine, for the next replay after a fix', async () => {
    const { connectionId, url } = await connectGravityForms('gf-replay-secret-still-0003');
    const unreadable = await deliver(url, 'gf-replay-secret-still-0003', '{"form_id": "3", "id": "78"');
    expect(unreadable.status).toBe(400);

    const replayed = await runCli(['leads', 'replay', '--connection', connectionId], cliEnv);
    expect(replayed).toMatchObject({ code: 0, stdout: 'Queued 1 delivery for processing; a running worker picks them up.\n' });
    await runQueuedWebhookJobs();
    expect(await delivery(unreadable.delivery)).toMatchObject({ status: 'quarantined', failure: expect.any(String) });
    // Still in the default replay set: a second replay picks it up again.
    expect((await runCli(['leads', 'replay', '--connection', connectionId], cliEnv)).stdout).toMatch(/^Queued 1 delivery/);
  });

  it('never lands, on replay, a body that receipt refused as not UTF-8', async () => {
    const { connectionId, url } = await connectGravityForms('gf-replay-secret-latin-0004');
    // Rosa Delgado-Núñez's entry as a Windows-1252 site would send it: valid JSON, invalid UTF-8.
    const latin1 = Buffer.from(await fixture('gravity-forms', 'entry-quirks.json'), 'latin1');
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sourceline-token': 'gf-replay-secret-latin-0004' }, body: latin1 });
    const { delivery: id } = (await response.json()) as { delivery: string };
    expect(response.status).toBe(400);
    expect((await delivery(id)).status).toBe('quarantined');

    expect((await runCli(['leads', 'replay', '--connection', connectionId], cliEnv)).code).toBe(0);
    await runQueuedWebhookJobs();
    // Receipt refused it because the decoded text holds characters the sender never sent; replay must not accept them.
    expect(await leadIds()).not.toContain('gf:bayside-smiles.example:1843');
    expect((await delivery(id)).status).toBe('quarantined');
  });

  it('exits 2 naming a --since or --connection it cannot read', async () => {
    const [since, connection] = await Promise.all([
      runCli(['leads', 'replay', '--since', 'last tuesday'], cliEnv),
      runCli(['leads', 'replay', '--connection', 'gravity-forms'], cliEnv),
    ]);
    expect(since).toMatchObject({ code: 2, stderr: 'sourceline: --since: "last tuesday" is not a date\n' });
    expect(connection).toMatchObject({ code: 2, stderr: 'sourceline: --connection: "gravity-forms" is not a connection id\n' });
  });
});
