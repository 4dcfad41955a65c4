import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { withSystem } from '../db/tenant-transaction.ts';
import { mfaSecretContext } from '../auth/mfa.ts';
import { OUTBOX_CONTEXT } from '../mail/outbox.ts';
import type { KeyRing } from './master-key.ts';
import { dataKeyContext } from './practice-keys.ts';

const BATCH = 200;

export interface RotationReport {
  dataKeysRewrapped: number;
  mfaSecretsResealed: number;
  mailsResealed: number;
  dataKeyVersionsAdded: number;
}


/**
 * Re-wraps every data key (and re-seals every TOTP secret and mail) still under an older master key with the current
 * one, in small committed batches: running servers keep working throughout, because they hold both keys in their ring.
 * With `newDataKeyVersions`, each practice also gets a fresh data key that encrypts new values from then on; old
 * versions stay to decrypt old values.
 */
export async function rotateKeys(owner: pg.Pool, ring: KeyRing, options: { newDataKeyVersions?: boolean } = {}): Promise<RotationReport> {
  const report: RotationReport = { dataKeysRewrapped: 0, mfaSecretsResealed: 0, mailsResealed: 0, dataKeyVersionsAdded: 0 };
  for (;;) {
    const done = await withSystem(owner, async (client) => {
      const { rows } = await client.query<{ id: string; practice_id: string; purpose: string; version: number; wrapped_key: Buffer; master_key_id: string }>(
        `SELECT id, practice_id, purpose, version, wrapped_key, master_key_id FROM data_keys
          WHERE master_key_id <> $1 LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [ring.current.id],
      );
      for (const row of rows) {
        const context = dataKeyContext(row.practice_id, row.purpose, row.version);
        const { wrapped, masterKeyId } = ring.wrap(ring.unwrap(row.wrapped_key, row.master_key_id, context), context);
        await client.query('UPDATE data_keys SET wrapped_key = $2, master_key_id = $3, rewrapped_at = now() WHERE id = $1', [row.id, wrapped, masterKeyId]);
      }
      report.dataKeysRewrapped += rows.length;
      return rows.length < BATCH;
    });
    if (done) break;
  }
  await withSystem(owner, async (client) => {
    const { rows } = await client.query<{ id: string; mfa_secret: Buffer }>('SELECT id, mfa_secret FROM users WHERE mfa_secret IS NOT NULL FOR UPDATE');
    for (const row of rows) {
      if (ring.secretKeyId(row.mfa_secret) === ring.current.id) continue;
      const context = mfaSecretContext(row.id);
      await client.query('UPDATE users SET mfa_secret = $2 WHERE id = $1', [row.id, ring.sealSecret(ring.openSecret(row.mfa_secret, context), context)]);
      report.mfaSecretsResealed += 1;
    }
  });
  // Mail is sealed under the master key itself: unsent mail would be undeliverable once the old key is dropped, and
  // sent mail unreadable.
  await withSystem(owner, async (client) => {
    const { rows } = await client.query<{ id: string; body_sealed: Buffer; attachments_sealed: Buffer | null }>(
      'SELECT id, body_sealed, attachments_sealed FROM outbox_emails FOR UPDATE',
    );
    const reseal = (sealed: Buffer) => ring.sealSecret(ring.openSecret(sealed, OUTBOX_CONTEXT), OUTBOX_CONTEXT);
    for (const row of rows) {
      const sealed = [row.body_sealed, row.attachments_sealed].filter((blob): blob is Buffer => blob !== null);
      if (sealed.every((blob) => ring.secretKeyId(blob) === ring.current.id)) continue;
      await client.query('UPDATE outbox_emails SET body_sealed = $2, attachments_sealed = $3 WHERE id = $1', [
        row.id,
        reseal(row.body_sealed),
        row.attachments_sealed && reseal(row.attachments_sealed),
      ]);
      report.mailsResealed += 1;
    }
  });
  if (options.newDataKeyVersions) {
    await withSystem(owner, async (client) => {
      const { rows } = await client.query<{ practice_id: string; version: number }>(
        `SELECT practice_id, max(version) AS version FROM data_keys WHERE purpose = 'data' GROUP BY practice_id`,
      );
      for (const row of rows) {
        const version = row.version + 1;
        const { wrapped, masterKeyId } = ring.wrap(randomBytes(32), dataKeyContext(row.practice_id, 'data', version));
        await client.query(
          `INSERT INTO data_keys (practice_id, purpose, version, wrapped_key, master_key_id) VALUES ($1, 'data', $2, $3, $4)`,
          [row.practice_id, version, wrapped, masterKeyId],
        );
        report.dataKeyVersionsAdded += 1;
      }
    });
  }
  return report;
}
