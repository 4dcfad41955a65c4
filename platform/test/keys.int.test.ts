import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyRing, masterKeyFrom, type KeyRing } from '../src/crypto/master-key.ts';
import { PracticeKeyStore } from '../src/crypto/practice-keys.ts';
import { rotateKeys } from '../src/crypto/rotate-keys.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { OUTBOX_CONTEXT, openAttachments, queueEmail } from '../src/mail/outbox.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practices: string[];
/** The ring of the last rotation: the master key the data keys are wrapped under since. */
let rotated: KeyRing;

beforeAll(async () => {
  platform = await startTestPlatform();
  practices = (await createAgencyWithPractices(platform, 'Key Agency', ['Key Dental', 'Key Ortho'])).practiceIds;
});
afterAll(() => platform.close());

describe('per-practice encryption', () => {
  it('encrypts a field so a dump shows no plaintext, and decrypts it again', async () => {
    const cipher = await withTenant(platform.db.prisma, { practiceIds: [practices[0]!] }, (tx) => platform.keys.cipherFor(tx, practices[0]!));
    const sealed = cipher.encrypt('patient.last_name', 'Zyzzyva-Okonkwo');
    expect(sealed.toString('latin1')).not.toContain('Zyzzyva');
    expect(cipher.decrypt('patient.last_name', sealed)).toBe('Zyzzyva-Okonkwo');
    expect(() => cipher.decrypt('patient.first_name', sealed)).toThrow();
  });

  it('gives blind indexes that match within a practice and differ across practices', async () => {
    const [a, b] = await Promise.all(
      practices.map((id) => withTenant(platform.db.prisma, { practiceIds: [id] }, (tx) => platform.keys.cipherFor(tx, id))),
    );
    expect(a!.blindIndex('phone', '+16145550100').equals(a!.blindIndex('phone', '+16145550100'))).toBe(true);
    expect(a!.blindIndex('phone', '+16145550100').equals(b!.blindIndex('phone', '+16145550100'))).toBe(false);
  });

  it('gives content digests that are keyed per practice and per record kind, never the bare hash of the content', async () => {
    const [a, b] = await Promise.all(
      practices.map((id) => withTenant(platform.db.prisma, { practiceIds: [id] }, (tx) => platform.keys.cipherFor(tx, id))),
    );
    const content = JSON.stringify({ id: '7', lastName: 'Okonkwo' });
    expect(a!.contentDigest('patient', content).equals(a!.contentDigest('patient', content))).toBe(true);
    expect(a!.contentDigest('patient', content).equals(b!.contentDigest('patient', content))).toBe(false);
    expect(a!.contentDigest('patient', content).equals(a!.contentDigest('lead', content))).toBe(false);
    expect(a!.contentDigest('patient', content).equals(createHash('sha256').update(content).digest())).toBe(false);
    expect(a!.contentDigest('patient', content)).toHaveLength(32);
  });

  it('cannot load another practice’s keys, even from a warm cache', async () => {
    await withTenant(platform.db.prisma, { practiceIds: [practices[0]!] }, (tx) => platform.keys.cipherFor(tx, practices[0]!));
    await expect(
      withTenant(platform.db.prisma, { practiceIds: [practices[1]!] }, (tx) => platform.keys.cipherFor(tx, practices[0]!)),
    ).rejects.toThrow(/no data keys visible/);
  });

  it('re-wraps every data key under a new master key, and old ciphertexts still decrypt', async () => {
    const before = await withTenant(platform.db.prisma, { practiceIds: [practices[0]!] }, (tx) => platform.keys.cipherFor(tx, practices[0]!));
    const sealed = before.encrypt('patient.email', 'someone@example.test');
    const next = masterKeyFrom(randomBytes(32).toString('base64'));
    const ring = createKeyRing(next, [platform.ring.current]);
    rotated = ring;
    const report = await rotateKeys(platform.db.owner, ring, { newDataKeyVersions: true });
    expect(report.dataKeysRewrapped).toBe(4);
    expect(report.dataKeyVersionsAdded).toBe(2);
    const ids = await withSystem(platform.db.owner, async (c) => (await c.query('SELECT DISTINCT master_key_id FROM data_keys')).rows);
    expect(ids).toEqual([{ master_key_id: next.id }]);
    // A process that knows only the new master key reads old values and writes with the new data key version.
    const store = new PracticeKeyStore(createKeyRing(next));
    const after = await withTenant(platform.db.prisma, { practiceIds: [practices[0]!] }, (tx) => store.cipherFor(tx, practices[0]!));
    expect(after.decrypt('patient.email', sealed)).toBe('someone@example.test');
    expect(after.encrypt('patient.email', 'x').readUInt32BE(1)).toBe(2);
    expect((await rotateKeys(platform.db.owner, ring)).dataKeysRewrapped).toBe(0);
  });

  it('re-seals mail under the new master key, so mail queued before rotation is still delivered after the old key goes', async () => {
    await withTenant(platform.db.prisma, { practiceIds: [practices[0]!] }, (tx) =>
      queueEmail(tx, platform.ring, {
        to: 'office@key.test',
        subject: 'Your report',
        text: 'The month-end report is attached.',
        attachments: [{ filename: 'report.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7') }],
      }),
    );
    // The data keys are under the previous test's key by now; the mail is still under the platform's first one.
    const next = masterKeyFrom(randomBytes(32).toString('base64'));
    const report = await rotateKeys(platform.db.owner, createKeyRing(next, [rotated.current, platform.ring.current]));
    expect(report.mailsResealed).toBeGreaterThanOrEqual(1);
    const onlyNew = createKeyRing(next);
    const mail = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ body_sealed: Buffer; attachments_sealed: Buffer }>(`SELECT body_sealed, attachments_sealed FROM outbox_emails WHERE to_address = 'office@key.test'`)).rows[0]!,
    );
    expect(onlyNew.openSecret(mail.body_sealed, OUTBOX_CONTEXT).toString()).toBe('The month-end report is attached.');
    expect(openAttachments(onlyNew, mail.attachments_sealed)).toEqual([{ filename: 'report.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7') }]);
  });
});
