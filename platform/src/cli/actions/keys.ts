import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadKeyRing, MASTER_KEY_FILE, PREVIOUS_MASTER_KEYS_FILE } from '../../crypto/master-key.ts';
import { rotateKeys } from '../../crypto/rotate-keys.ts';
import { loadCliConfig, runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

export async function runRotate(options: { newMasterKey?: boolean; newDataKeys?: boolean }): Promise<void> {
  const config = loadCliConfig();
  if (options.newMasterKey) {
    if (config.SOURCELINE_MASTER_KEY) {
      throw new UsageError('--new-master-key: the master key comes from SOURCELINE_MASTER_KEY; rotate it there (see docs/operations.md)');
    }
    await loadKeyRing(config);
    const current = path.join(config.dataDir, MASTER_KEY_FILE);
    const next = `${current}.next`;
    await writeFile(next, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    // Retire first, then switch: a crash between the two leaves both keys known, never neither.
    await appendFile(path.join(config.dataDir, PREVIOUS_MASTER_KEYS_FILE), await readFile(current, 'utf8'), { mode: 0o600 });
    await rename(next, current);
  }
  const report = await runWithPlatform((platform) => rotateKeys(platform.db.owner, platform.ring, { newDataKeyVersions: !!options.newDataKeys }));
  process.stdout.write(
    `Re-wrapped ${report.dataKeysRewrapped} data key(s), ${report.mfaSecretsResealed} MFA secret(s) and ${report.mailsResealed} mail(s) under the current master key` +
      (options.newDataKeys ? `; added ${report.dataKeyVersionsAdded} new data key version(s)` : '') +
      '.\n',
  );
}
