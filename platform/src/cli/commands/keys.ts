import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadKeyRing, MASTER_KEY_FILE, PREVIOUS_MASTER_KEYS_FILE } from '../../crypto/master-key.ts';
import { rotateKeys } from '../../crypto/rotate-keys.ts';
import { loadCliConfig, runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('encryption keys');
  keys
    .command('rotate')
    .description(
      're-wrap every data key under the current master key. With SOURCELINE_MASTER_KEY, set the new key there and the old one in ' +
        'SOURCELINE_PREVIOUS_MASTER_KEYS first; in the embedded default, --new-master-key generates the new key itself.',
    )
    .option('--new-master-key', 'embedded default only: generate a new .data/master.key and retire the old one')
    .option('--new-data-keys', 'also give every practice a new data key version for values written from now on')
    .action(async (options: { newMasterKey?: boolean; newDataKeys?: boolean }) => {
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
    });
}
