import { verifyAuditChain } from '../../audit/verify-audit-chain.ts';
import { createPlatformAdmin } from '../../auth/create-admin.ts';
import { runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

export async function runMigrate(): Promise<void> {
  const result = await runWithPlatform(async (platform) => platform.db.migration!);
  process.stdout.write(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`
      : `Database is up to date (${result.alreadyApplied} migrations applied).\n`,
  );
}

export async function runCreateAdmin(options: { email: string; name: string }): Promise<void> {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(options.email.trim())) throw new UsageError(`--email: "${options.email}" is not an e-mail address`);
  const admin = await runWithPlatform((platform) => createPlatformAdmin(platform.db.owner, { email: options.email, displayName: options.name }));
  process.stdout.write(`Administrator ${admin.email}\nOne-time password: ${admin.oneTimePassword}\n(shown once — sign in and change it)\n`);
}

export async function runAuditVerify(): Promise<void> {
  const result = await runWithPlatform((platform) => verifyAuditChain(platform.db.owner));
  if (result.firstBroken) {
    const b = result.firstBroken;
    process.stdout.write(`BROKEN: chain ${b.chain}, seq ${b.seq}${b.id ? ` (row id ${b.id})` : ''}: ${b.reason}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`OK: ${result.events} events in ${result.chains} chains verified.\n`);
}
