import type { Command } from 'commander';
import { registerBackupCommands } from './backup.ts';
import { registerConnectorCommand } from './connector.ts';
import { registerDatabaseCommands } from './database.ts';
import { registerKeysCommands } from './keys.ts';
import { registerLeadsCommands } from './leads.ts';
import { registerMatchCommand } from './match.ts';
import { registerStartCommand, registerWorkerCommand } from './start.ts';

/** Every `sourceline` sub-command registers itself here, one module per command family. */
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
