import { replayDeliveries, type ReplayFilter } from '../../webhooks/replay-deliveries.ts';
import { runWithPlatform } from '../run-with-platform.ts';
import { UsageError } from '../usage-error.ts';

export async function runReplay(options: { connection?: string; since?: string; all?: boolean }): Promise<void> {
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
}
