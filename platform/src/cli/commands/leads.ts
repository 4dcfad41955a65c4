import type { Command } from 'commander';

export function registerLeadsCommands(program: Command): void {
  const leads = program.command('leads').description('lead-source deliveries');
  leads
    .command('replay')
    .description('parse stored webhook deliveries again (quarantined ones by default), e.g. after fixing a field mapping')
    .option('--connection <id>', 'only this connection')
    .option('--since <date>', 'only deliveries received since this date (YYYY-MM-DD or ISO time)')
    .option('--all', 'also deliveries already processed (safe: records are upserted by source id)')
    .action(async (options: { connection?: string; since?: string; all?: boolean }) => (await import('../actions/leads.ts')).runReplay(options));
}
