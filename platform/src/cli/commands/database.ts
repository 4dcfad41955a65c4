import type { Command } from 'commander';

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending SQL migrations (and graphile-worker’s) to the database')
    .action(async () => (await import('../actions/database.ts')).runMigrate());

  program
    .command('create-admin')
    .description('create a platform administrator (or reset one’s password) and print a one-time password')
    .requiredOption('--email <email>', 'the administrator’s e-mail address')
    .option('--name <name>', 'display name', 'Administrator')
    .action(async (options: { email: string; name: string }) => (await import('../actions/database.ts')).runCreateAdmin(options));

  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('verify')
    .description('recompute every hash chain of the audit log and report the first broken link (exit 1 if any)')
    .action(async () => (await import('../actions/database.ts')).runAuditVerify());
}
