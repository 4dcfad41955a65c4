import type { Command } from 'commander';

/** Every `sourceline` sub-command registers itself here, one module per command family. */
export function registerCommands(program: Command): void {
  void program;
}
