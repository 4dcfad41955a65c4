import type { Command } from 'commander';
import { verifyAuditChain } from '../../audit/verify-audit-chain.ts';
import { createPlatformAdmin } from '../../auth/create-admin.ts';
import { runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending SQL migrations (and graphile-worker’s) to the database')
    .action(async () => {
      const result = await runWithPlatform(async (platform) => platform.db.migration!);
      process.stdout.write(
        result.applied.length
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
          : `Database is up to date (${result.alreadyApplied} migrations applied).\n`,
      );
    });

  program
    .command('create-admin')
    .description('create a platform administrator (or reset one’s password) and print a one-time password')
    .requiredOption('--email <email>', 'the administrator’s e-mail address')
    .option('--name <name>', 'display name', 'Administrator')
    .action(async (options: { email: string; name: string }) => {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(options.email.trim())) throw new UsageError(`--email: "${options.email}" is not an e-mail address`);
      const admin = await runWithPlatform((platform) => createPlatformAdmin(platform.db.owner, { email: options.email, displayName: options.name }));
      process.stdout.write(`Administrator ${admin.email}\nOne-time password: ${admin.oneTimePassword}\n(shown once — sign in and change it)\n`);
    });

  const audit = program.command('audit').description('the append-only audit log');
  audit
    .command('verify')
    .description('recompute every hash chain of the audit log and report the first broken link (exit 1 if any)')
    .action(async () => {
      const result = await runWithPlatform((platform) => verifyAuditChain(platform.db.owner));
      if (result.firstBroken) {
        const b = result.firstBroken;
        process.stdout.write(`BROKEN: chain ${b.chain}, seq ${b.seq}${b.id ? ` (row id ${b.id})` : ''}: ${b.reason}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`OK: ${result.events} events in ${result.chains} chains verified.\n`);
    });
}
