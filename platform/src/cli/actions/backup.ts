import { existsSync } from 'node:fs';
import path from 'node:path';
import { verifyAuditChain } from '../../audit/verify-audit-chain.ts';
import { restoreBackup, RestoreError } from '../../backup/restore-backup.ts';
import { BackupFormatError } from '../../backup/sealed-frames.ts';
import { writeBackup } from '../../backup/write-backup.ts';
import { loadKeyRing } from '../../crypto/master-key.ts';
import { openOwnerPool } from '../../db/database.ts';
import { loadCliConfig, runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

const progress = (verb: string) => (table: string, rows: number) => process.stderr.write(`  ${verb} ${table}: ${rows.toLocaleString('en-US')} rows\n`);

export async function runBackup(file: string): Promise<void> {
  const target = path.resolve(file);
  if (existsSync(target)) throw new UsageError(`${file} already exists: a backup never overwrites a file`);
  if (!existsSync(path.dirname(target))) throw new UsageError(`${path.dirname(file)}: no such directory`);
  const started = Date.now();
  const summary = await runWithPlatform((platform) => writeBackup(platform.db.owner, platform.ring, target, progress('backed up')));
  process.stdout.write(
    `Backed up ${summary.tables} tables (${summary.rows.toLocaleString('en-US')} rows) to ${file}: ` +
      `${(summary.bytes / 1_048_576).toFixed(1)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s.\n` +
      'Restoring it needs this installation’s master key: keep the key, apart from the backup.\n',
  );
}

export async function runRestore(file: string): Promise<void> {
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
  const config = loadCliConfig();
  const ring = await loadKeyRing(config);
  const db = await openOwnerPool(config);
  try {
    const summary = await restoreBackup(db.owner, ring, path.resolve(file), progress('restored'));
    const audit = await verifyAuditChain(db.owner);
    process.stdout.write(
      `Restored ${summary.tables} tables (${summary.rows.toLocaleString('en-US')} rows), every table's count and checksum verified.\n` +
        (summary.laterMigrations.length ? `Applied ${summary.laterMigrations.length} newer migration(s): ${summary.laterMigrations.join(', ')}.\n` : '') +
        (summary.requeuedDeliveries ? `Queued ${summary.requeuedDeliveries} webhook deliveries that were waiting to be processed.\n` : '') +
        (audit.firstBroken ? `AUDIT CHAIN BROKEN at chain ${audit.firstBroken.chain}, seq ${audit.firstBroken.seq}: ${audit.firstBroken.reason}\n` : `Audit log intact: ${audit.events} events in ${audit.chains} chains.\n`),
    );
    if (audit.firstBroken) process.exitCode = 1;
  } catch (error) {
    if (error instanceof RestoreError || error instanceof BackupFormatError) throw new UsageError(error.message);
    throw error;
  } finally {
    await db.close();
  }
}
