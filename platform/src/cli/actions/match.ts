import { rmSync } from 'node:fs';
import {
  CsvInputError,
  MATCH_COLUMNS,
  MatchEngine,
  matchRow,
  rankReviewQueue,
  readLeads,
  readPatients,
  readRevenueCents,
  writeCsvAtomically,
} from '../../matching/index.ts';
import type { MatchFlags } from '../commands/match.ts';
import { UsageError } from '../usage-error.ts';

export function runMatch(flags: MatchFlags): void {
  const started = performance.now();
  const [patients, leads, revenue] = readInputs(flags);
  const engine = MatchEngine.run(patients, leads);
  const links = [...engine.pairs()].filter((p) => p.decision === 'link');
  const queue = rankReviewQueue(engine.pairs(), (id) => revenue.get(id) ?? 0);
  const { reviewOut } = flags;
  if (reviewOut) {
    const rows = queue.map((p) => [...matchRow(p), String(revenue.get(p.patientId) ?? 0)]);
    writeOutput(reviewOut, rows, [...MATCH_COLUMNS, 'revenue_cents']);
  }
  try {
    writeOutput(flags.out, links.map(matchRow));
  } catch (error) {
    // All or nothing: a run that cannot write its links leaves no review queue either.
    if (reviewOut) rmSync(reviewOut, { force: true });
    throw error;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`sourceline match: ${links.length} links, ${queue.length} pairs for review, ${leads.length} leads, ${patients.length} charts (${seconds} s)\n`);
}

function readInputs(flags: MatchFlags) {
  try {
    return [
      readPatients(flags.patients),
      readLeads(flags.leads),
      flags.revenue ? readRevenueCents(flags.revenue) : new Map<string, number>(),
    ] as const;
  } catch (error) {
    if (error instanceof CsvInputError) throw new UsageError(error.message);
    throw error;
  }
}

function writeOutput(path: string, rows: readonly string[][], header: readonly string[] = MATCH_COLUMNS): void {
  try {
    writeCsvAtomically(path, header, rows);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new UsageError(`cannot write ${path} (${code})`);
  }
}
