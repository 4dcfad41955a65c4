import type { Command } from 'commander';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .argument('<file>', 'where to write the backup (a new file)')
    .description('write a consistent, encrypted backup of the whole database to FILE; its key is sealed under the master key, which it does not contain')
    .action(async (file: string) => (await import('../actions/backup.ts')).runBackup(file));

  program
    .command('restore')
    .argument('<file>', 'a file written by `sourceline backup`')
    .description('restore a backup into an empty database (a new DATA_DIR, or DATABASE_URL naming a new database), then apply newer migrations')
    .action(async (file: string) => (await import('../actions/backup.ts')).runRestore(file));
}
