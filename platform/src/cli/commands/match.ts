import type { Command } from 'commander';

export interface MatchFlags {
  patients: string;
  leads: string;
  out: string;
  revenue?: string;
  reviewOut?: string;
}

/** `sourceline match`: the platform's matching engine over CSV exports, for audits, backfills and the benchmark. */
export function registerMatchCommand(program: Command): void {
  program
    .command('match')
    .description('link leads to patient charts and write one row per link (lead_id,patient_id,confidence,method)')
    .requiredOption('--patients <file>', 'patients.csv exported from the practice-management system')
    .requiredOption('--leads <file>', 'leads.csv from the lead sources')
    .requiredOption('--out <file>', 'where to write the links (written atomically)')
    .option('--revenue <file>', 'revenue.csv, to rank the review queue by revenue at stake')
    .option('--review-out <file>', 'also write the review queue (pairs between the thresholds), most revenue first')
    .action(async (flags: MatchFlags) => (await import('../actions/match.ts')).runMatch(flags));
}
