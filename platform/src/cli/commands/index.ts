import type { Command } from 'commander';
import { registerConnectorCommand } from './connector.ts';
import { registerDatabaseCommands } from './database.ts';
import { registerKeysCommands } from './keys.ts';
import { registerStartCommand } from './start.ts';

/** Every `sourceline` sub-command registers itself here, one module per command family. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
  registerDatabaseCommands(program);
  registerKeysCommands(program);
  registerConnectorCommand(program);
}
