import type { Patient } from '@sourceline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenantClient, withTenant, withSystem } from '../src/db/tenant-transaction.ts';
import { arrayLiteral } from '../src/records/array-literal.ts';
import { markRecordsDeleted, reconcileRecords, upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { dumpAllTables } from './dump.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let target: RecordTarget;
let otherPractice: string;

function patient(id: string, overrides: Partial<Patient> = {}): Patient {
  return {
    id, firstName: 'Quintessa', lastName: 'Vandermolen', middleName: null, preferredName: 'Tess', birthDate: '1984-03-09',
    gender: 'female', status: 'active', phones: [{ kind: 'mobile', number: '(614) 555-0143' }], email: 'q.vandermolen@example.test',
    address: null, guarantorId: id, primaryProviderId: 'dr1', locationId: null, firstVisitOn: '2024-01-05', createdOn: '2023-12-30',
    sourceUpdatedAt: '2024-01-05T10:00:00.000Z', ...overrides,
  };
}

const keysOf = (p: Patient) => [...p.phones.map((ph) => `phone:${ph.number.replace(/\D/g, '')}`), `email:${p.email}`];

async function write(records: Patient[]) {
  return withTenantClient(platform.db.app, { practiceIds: [target.practiceId] }, async (client) => {
    const cipher = await withTenant(platform.db.prisma, { practiceIds: [target.practiceId] }, (tx) => platform.keys.cipherFor(tx, target.practiceId));
    return upsertRecords(client, target, cipher, 'patient', records, keysOf);
  });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Records Agency', ['Records Dental', 'Other Dental']);
  otherPractice = tenant.practiceIds[1]!;
  const connectionId = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ id: string }>(`INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, 'open-dental', 'OD', '\\x00') RETURNING id`, [tenant.practiceIds[0]])).rows[0]!.id,
  );
  target = { practiceId: tenant.practiceIds[0]!, connectionId };
});
afterAll(() => platform.close());

describe('writing canonical records', () => {
  it('inserts, skips unchanged records without rewriting them, and updates changed ones', async () => {
    expect(await write([patient('1'), patient('2')])).toEqual({ inserted: 2, updated: 0, skipped: 0 });
    expect(await write([patient('1'), patient('2')])).toEqual({ inserted: 0, updated: 0, skipped: 2 });
    expect(await write([patient('1', { lastName: 'Okafor' }), patient('2')])).toEqual({ inserted: 0, updated: 1, skipped: 1 });
  });

  it('stores names, phones and e-mail only encrypted, and identifiers only as blind digests', async () => {
    const dump = await dumpAllTables(platform.db.owner);
    for (const value of ['Quintessa', 'Vandermolen', 'Okafor', 'Tess', '555-0143', '6145550143', 'q.vandermolen', '1984-03-09']) {
      expect(dump).not.toContain(value);
    }
    const digests = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT kind, count(*)::int AS n FROM patient_identifiers GROUP BY kind ORDER BY kind')).rows);
    expect(digests).toEqual([{ kind: 'email', n: 2 }, { kind: 'phone', n: 2 }]);
  });

  it('finds a patient by blind index without decrypting', async () => {
    const found = await withTenantClient(platform.db.app, { practiceIds: [target.practiceId] }, async (client) => {
      const cipher = await withTenant(platform.db.prisma, { practiceIds: [target.practiceId] }, (tx) => platform.keys.cipherFor(tx, target.practiceId));
      const { rows } = await client.query(
        `SELECT p.source_id FROM patient_identifiers i JOIN patients p ON p.id = i.patient_id
          WHERE i.practice_id = $1 AND i.kind = 'phone' AND i.digest = $2 ORDER BY 1`,
        [target.practiceId, cipher.blindIndex('identifier', 'phone:6145550143')],
      );
      return rows.map((r) => r.source_id);
    });
    expect(found).toEqual(['1', '2']);
  });

  it('marks deletions, restores a record that comes back, and reconciles hard deletes', async () => {
    await write([patient('3')]);
    const scope = { practiceIds: [target.practiceId] };
    expect(await withTenantClient(platform.db.app, scope, (c) => markRecordsDeleted(c, target, 'patient', ['2', 'missing']))).toBe(1);
    expect(await write([patient('2')])).toEqual({ inserted: 0, updated: 1, skipped: 0 });
    const result = await withTenantClient(platform.db.app, scope, (c) => reconcileRecords(c, target, 'patient', ['1', '2', '9']));
    expect(result).toEqual({ deleted: ['3'], unknown: ['9'] });
  });

  it('replaces the identifiers of a record emitted twice in a run known to be new, keeping only the later ones', async () => {
    const scope = { practiceIds: [target.practiceId] };
    await withTenantClient(platform.db.app, scope, async (client) => {
      const cipher = await platform.keys.cipherForClient(client, target.practiceId);
      expect(await upsertRecords(client, target, cipher, 'patient', [patient('40')], keysOf, { knownNew: true })).toEqual({ inserted: 1, updated: 0, skipped: 0 });
      const moved = patient('40', { phones: [{ kind: 'home', number: '(614) 555-0199' }] });
      expect(await upsertRecords(client, target, cipher, 'patient', [moved], keysOf, { knownNew: true })).toEqual({ inserted: 0, updated: 1, skipped: 0 });
    });
    const kinds = await withSystem(platform.db.owner, async (c) =>
      (await c.query(`SELECT i.kind FROM patient_identifiers i JOIN patients p ON p.id = i.patient_id WHERE p.source_id = '40' ORDER BY i.kind`)).rows.map((r) => r.kind),
    );
    // The first emission's phone is gone: one e-mail, one phone.
    expect(kinds).toEqual(['email', 'phone']);
  });

  it('sends batches as array literals PostgreSQL reads back exactly', async () => {
    const texts = ['plain', '', 'NULL', 'null', 'a "quoted" word', 'back\\slash \\"both"', '{braces}, commas', ' spaced ', 'Zoë Ångström 🦷', null];
    const bytes = [Buffer.from([0, 1, 254, 255]), Buffer.alloc(0), null];
    const { rows } = await withSystem(platform.db.owner, (c) =>
      c.query(
        `SELECT (SELECT array_agg(t ORDER BY n) FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n)) AS texts,
                (SELECT array_agg(b ORDER BY n) FROM unnest($2::bytea[]) WITH ORDINALITY AS u(b, n)) AS bytes,
                $3::int8[] AS numbers, $4::bool[] AS flags, $5::timestamptz[] AS times`,
        [arrayLiteral(texts), arrayLiteral(bytes), arrayLiteral([0, -7, 9_007_199_254_740_991, null]), arrayLiteral([true, false, null]), arrayLiteral([new Date('2024-01-05T10:00:00Z')])],
      ),
    );
    expect(rows[0].texts).toEqual(texts);
    expect(rows[0].bytes).toEqual(bytes);
    expect(rows[0].numbers).toEqual(['0', '-7', '9007199254740991', null]);
    expect(rows[0].flags).toEqual([true, false, null]);
    expect(rows[0].times).toEqual([new Date('2024-01-05T10:00:00Z')]);
    expect(() => arrayLiteral([{ not: 'a column value' }])).toThrow(/cannot write a \[object Object\]/);
  });

  it('refuses to write records into a practice outside the transaction’s scope', async () => {
    await expect(
      withTenantClient(platform.db.app, { practiceIds: [otherPractice] }, async (client) => {
        const cipher = await withTenant(platform.db.prisma, { practiceIds: [otherPractice] }, (tx) => platform.keys.cipherFor(tx, otherPractice));
        return upsertRecords(client, target, cipher, 'patient', [patient('x')]);
      }),
    ).rejects.toThrow(/row-level security/);
  });
});
