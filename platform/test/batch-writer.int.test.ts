import type { Patient } from '@sourceline/sdk';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BatchWriter } from '../src/connections/batch-writer.ts';
import type { PracticeCipher } from '../src/crypto/practice-keys.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import type { RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let cipher: PracticeCipher;
/** Every statement the app role's connections were sent, in order. */
const sent: string[] = [];

function patient(id: string, overrides: Partial<Patient> = {}): Patient {
  return {
    id, firstName: 'Quintessa', lastName: 'Vandermolen', middleName: null, preferredName: null, birthDate: '1984-03-09',
    gender: 'female', status: 'active', phones: [{ kind: 'mobile', number: `(614) 555-01${id.padStart(2, '0')}` }], email: `p${id}@example.test`,
    address: null, guarantorId: id, primaryProviderId: 'dr1', locationId: null, firstVisitOn: '2024-01-05', createdOn: '2023-12-30',
    sourceUpdatedAt: '2024-01-05T10:00:00.000Z', ...overrides,
  };
}

const keysOf = (p: Patient) => [...p.phones.map((ph) => `phone:${ph.number.replace(/\D/g, '')}`), `email:${p.email}`];

/** A connection with nothing stored yet, and a writer for one run of it: each run of the writer is an initial sync. */
async function initialSync(identifierKeys: { patient?: typeof keysOf } = { patient: keysOf }): Promise<{ target: RecordTarget; writer: BatchWriter }> {
  const { connectionId, runId } = await withSystem(platform.db.owner, async (c) => {
    const connection = (await c.query<{ id: string }>(
      `INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, 'pms-csv', 'CSV', '\\x00') RETURNING id`,
      [practiceId],
    )).rows[0]!.id;
    const run = (await c.query<{ id: string }>(
      `INSERT INTO sync_runs (practice_id, connection_id, stream, trigger) VALUES ($1, $2, 'patients', 'manual') RETURNING id`,
      [practiceId, connection],
    )).rows[0]!.id;
    return { connectionId: connection, runId: run };
  });
  const target = { practiceId, connectionId };
  const writer = new BatchWriter(platform, { target, runId, stream: 'patients', emits: ['patient'], cipher, identifierKeys, batchSize: 2 });
  await writer.begin();
  return { target, writer };
}

async function stored(target: RecordTarget): Promise<{ id: string; lastName: string; identifiers: number }[]> {
  const { rows } = await withSystem(platform.db.owner, (c) =>
    c.query<{ source_id: string; last_name: Buffer; identifiers: number }>(
      `SELECT p.source_id, p.last_name, (SELECT count(*)::int FROM patient_identifiers i WHERE i.patient_id = p.id) AS identifiers
         FROM patients p WHERE p.connection_id = $1 ORDER BY p.source_id`,
      [target.connectionId],
    ),
  );
  return rows.map((r) => ({ id: r.source_id, lastName: cipher.decrypt('patient.lastName', r.last_name), identifiers: r.identifiers }));
}

/** For each insert into `patients` sent since `from`: whether it could meet an id already stored (ON CONFLICT). */
const patientInserts = (from: number) => sent.slice(from).filter((s) => s.startsWith('INSERT INTO patients')).map((s) => s.includes('ON CONFLICT'));

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Writer Agency', ['Writer Dental'])).practiceIds[0]!;
  cipher = await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, (tx) => platform.keys.cipherFor(tx, practiceId));
  const connect = platform.db.app.connect.bind(platform.db.app) as () => Promise<pg.PoolClient>;
  const listened = new WeakSet<pg.PoolClient>();
  vi.spyOn(platform.db.app, 'connect').mockImplementation((async () => {
    const client = await connect();
    if (listened.has(client)) return client;
    listened.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((text: string | { text: string }, ...rest: unknown[]) => {
      sent.push(typeof text === 'string' ? text : text.text);
      return query(text, ...rest);
    }) as typeof client.query;
    return client;
  }) as never);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await platform.close();
});

describe('an initial sync’s batches', () => {
  it('are inserted without ON CONFLICT, and a record listed twice in one transaction writes that transaction again', async () => {
    const from = sent.length;
    const { target, writer } = await initialSync();
    await writer.emit('patient', [patient('1'), patient('2')]);
    // Beside the repeat, a record the canonical schema turns away: counted as skipped once, rewrite or not.
    await writer.emit('patient', [patient('3'), patient('9', { birthDate: 'yesterday' }), patient('1', { lastName: 'Okafor' })]);
    await writer.commit({ imports: 1 });
    await writer.emit('patient', [patient('4'), patient('5')]);
    await writer.finish({ imports: 2 });

    // Plain, plain (refused: "1" again), then the transaction again and the rest with ON CONFLICT.
    expect(patientInserts(from)).toEqual([false, false, true, true, true]);
    expect(writer.counts.patient).toEqual({ inserted: 5, updated: 1, deleted: 0, skipped: 1 });
    expect(await stored(target)).toEqual([
      { id: '1', lastName: 'Okafor', identifiers: 2 },
      { id: '2', lastName: 'Vandermolen', identifiers: 2 },
      { id: '3', lastName: 'Vandermolen', identifiers: 2 },
      { id: '4', lastName: 'Vandermolen', identifiers: 2 },
      { id: '5', lastName: 'Vandermolen', identifiers: 2 },
    ]);
  });

  it('write only their own transaction again when the record listed twice was committed before', async () => {
    const from = sent.length;
    const { target, writer } = await initialSync();
    await writer.emit('patient', [patient('1'), patient('2')]);
    await writer.commit({ imports: 1 });
    await writer.emit('patient', [patient('3'), patient('2', { lastName: 'Okafor' })]);
    await writer.finish({ imports: 2 });

    expect(patientInserts(from)).toEqual([false, false, true]);
    expect(writer.counts.patient).toEqual({ inserted: 3, updated: 1, deleted: 0, skipped: 0 });
    expect(await stored(target)).toEqual([
      { id: '1', lastName: 'Vandermolen', identifiers: 2 },
      { id: '2', lastName: 'Okafor', identifiers: 2 },
      { id: '3', lastName: 'Vandermolen', identifiers: 2 },
    ]);
  });

  it('of charts, prepared on the preparing thread when large (and without identifiers), land with every field opening here', async () => {
    const { target, writer } = await initialSync({});
    const charts = Array.from({ length: 450 }, (_, i) => patient(String(i + 1), { lastName: `Chart ${i + 1}` }));
    await writer.emit('patient', charts.slice(0, 250));
    await writer.commit({ imports: 1 });
    await writer.emit('patient', charts.slice(250));
    await writer.finish({ imports: 2 });

    expect(writer.counts.patient).toEqual({ inserted: 450, updated: 0, deleted: 0, skipped: 0 });
    const rows = await stored(target);
    expect(rows).toHaveLength(450);
    expect(rows.every((r) => r.lastName === `Chart ${r.id}` && r.identifiers === 0)).toBe(true);
  });

  it('upsert with ON CONFLICT after the transaction reconciled, whose work is not kept to write again', async () => {
    const from = sent.length;
    const { target, writer } = await initialSync();
    await writer.emit('patient', [patient('1'), patient('2')]);
    await writer.reconcile('patient', ['1', '2']);
    await writer.emit('patient', [patient('3'), patient('1', { lastName: 'Okafor' })]);
    await writer.finish({ imports: 1 });

    expect(patientInserts(from)).toEqual([false, true]);
    expect(writer.counts.patient).toEqual({ inserted: 3, updated: 1, deleted: 0, skipped: 0 });
    expect((await stored(target)).map((p) => p.lastName)).toEqual(['Okafor', 'Vandermolen', 'Vandermolen']);
  });
});
