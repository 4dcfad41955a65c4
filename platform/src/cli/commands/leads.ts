import type { Command } from 'commander';
import { replayDeliveries, type ReplayFilter } from '../../webhooks/replay-deliveries.ts';
import { runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

export function registerLeadsCommands(program: Command): void {
  const leads = program.command('leads').description('lead-source deliveries');
  leads
    .command('replay')
    .description('parse stored webhook deliveries again (quarantined ones by default), e.g. after fixing a field mapping')
    .option('--connection <id>', 'only this connection')
    .option('--since <date>', 'only deliveries received since this date (YYYY-MM-DD or ISO time)')
    .option('--all', 'also deliveries already processed (safe: records are upserted by source id)')
    .action(async (options: { connection?: string; since?: string; all?: boolean }) => {
      const since = options.since ? new Date(options.since) : null;
      if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since: "${options.since}" is not a date`);
      if (options.connection && !/^[0-9a-f-]{36}$/i.test(options.connection)) throw new UsageError(`--connection: "${options.connection}" is not a connection id`);
      const filter: ReplayFilter = {
        connectionId: options.connection ?? null,
        since,
        statuses: options.all ? ['quarantined', 'failed', 'processed'] : ['quarantined', 'failed'],
      };
      const queued = await runWithPlatform((platform) => replayDeliveries(platform.db.owner, filter));
      process.stdout.write(`Queued ${queued} deliver${queued === 1 ? 'y' : 'ies'} for processing; a running worker picks them up.\n`);
    });
}
