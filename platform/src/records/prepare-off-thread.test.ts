import { randomBytes } from 'node:crypto';
import type { Patient } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import { cipherFromKeys, type PracticeCipher } from '../crypto/practice-keys.ts';
import { prepareKnownNewOffThread } from './prepare-off-thread.ts';
import { contentHash, prepareUpsert } from './write-records.ts';

const cipher = cipherFromKeys({ practiceId: 'practice-1', dataKeys: [[1, randomBytes(32)], [2, randomBytes(32)]], blindKey: randomBytes(32) });

function patient(id: string, overrides: Partial<Patient> = {}): Patient {
  return {
    id, firstName: `Quintessa ${id}`, lastName: 'O\'Brien-Vandermolen, "Jr."', middleName: null, preferredName: 'Tess', birthDate: '1984-03-09',
    gender: 'female', status: 'active', phones: [{ kind: 'mobile', number: '(614) 555-0143' }], email: `q${id}@example.test`,
    address: null, guarantorId: id, primaryProviderId: 'dr1', locationId: null, firstVisitOn: '2024-01-05', createdOn: '2023-12-30',
    sourceUpdatedAt: '2024-01-05T10:00:00.000Z', ...overrides,
  };
}

/** The elements of an array literal column (`array-literal.ts`): bytea as hex, strings unquoted. */
function elements(column: string): string[] {
  return column.slice(1, -1).match(/"(?:[^"\\]|\\.)*"|[^,]+/g)!.map((e) => (e.startsWith('"') ? e.slice(1, -1).replace(/\\(.)/g, '$1') : e));
}
const opened = (c: PracticeCipher, field: string, element: string) => c.decrypt(field, Buffer.from(element.replace(/^\\+x/, ''), 'hex'));

describe('preparing a known-new batch on the preparing thread', () => {
  it('gives what preparing it here gives: the same digests, and fields sealed under the newest key that open here', async () => {
    const records = Array.from({ length: 300 }, (_, i) => patient(String(i + 1)));
    records.push(patient('7', { lastName: 'Later' })); // the last emission of an id wins
    const offThread = await prepareKnownNewOffThread(cipher, 'patient', records);
    const here = prepareUpsert(cipher, 'patient', records, undefined, true);

    expect([...offThread.byId.keys()]).toEqual([...here.byId.keys()]);
    expect([...offThread.hashes].map(([id, hash]) => [id, hash.toString('hex')])).toEqual([...here.hashes].map(([id, hash]) => [id, hash.toString('hex')]));
    expect(offThread.hashes.get('7')!.equals(contentHash(cipher, 'patient', patient('7', { lastName: 'Later' })))).toBe(true);
    const columns = offThread.rows!.columns;
    expect(columns).toHaveLength(here.rows!.columns.length);
    expect(elements(columns[0]!)).toEqual(elements(here.rows!.columns[0]!));
    const lastNames = elements(columns[3]!);
    expect(lastNames).toHaveLength(300);
    expect(opened(cipher, 'patient.lastName', lastNames[0]!)).toBe('O\'Brien-Vandermolen, "Jr."');
    expect(opened(cipher, 'patient.lastName', lastNames[6]!)).toBe('Later');
    expect(Buffer.from(lastNames[0]!.replace(/^\\+x/, ''), 'hex').readUInt32BE(1)).toBe(2);
    // Columns that are not sealed are the same text either way.
    expect(columns.slice(10)).toEqual(here.rows!.columns.slice(10));
  });

  it('rejects a batch it cannot prepare with the reason, and prepares the next', async () => {
    const broken = { ...patient('1'), lastName: 1984 } as unknown as Patient;
    await expect(prepareKnownNewOffThread(cipher, 'patient', [broken])).rejects.toThrow(/preparing a batch failed: .*string/);
    expect((await prepareKnownNewOffThread(cipher, 'patient', [patient('2')])).byId.size).toBe(1);
  });
});
