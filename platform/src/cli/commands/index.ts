import type { Command } from 'commander';
import { registerBackupCommands } from './backup.ts';
import { registerConnectorCommand } from './connector.ts';
import { registerDatabaseCommands } from './database.ts';
import { registerKeysCommands } from './keys.ts';
import { registerLeadsCommands } from './leads.ts';
import { registerMatchCommand } from './match.ts';
import { registerStartCommand, registerWorkerCommand } from './start.ts';

/**
 * Every `sourceline` sub-command registers itself here, one module per command family. A command's module only
 * declares it; what it does is in `../actions/`, loaded when it runs, so that `--help`, `connector parse` or `match`
 * do not load the API, the worker and Prisma first (~8 s of CPU through tsx before this split).
 */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
  registerWorkerCommand(program);
  registerDatabaseCommands(program);
  registerBackupCommands(program);
  registerKeysCommands(program);
  registerLeadsCommands(program);
  registerConnectorCommand(program);
  registerMatchCommand(program);
}
