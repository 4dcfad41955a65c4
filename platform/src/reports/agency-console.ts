import type { AttributionModelId } from '../attribution/attribution-settings.ts';
import { connectionHealth, type ConnectionHealth } from '../connections/connection-health.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import type { Practice } from '../generated/prisma/client.ts';
import { practicesPerformance, type PerformanceFigures } from './practice-performance.ts';
import type { DayRange } from './report-range.ts';

/** One practice's line of the agency console. */
export interface AgencyConsoleRow {
  practice: Practice;
  figures: PerformanceFigures;
  /** Share of the range's new leads linked to a patient; null without leads. */
  matchRate: number | null;
  health: ConnectionHealth;
  /** New patients in equal slices of the range, oldest first. */
  trend: number[];
}

/**
 * Every practice of the agency this transaction may see (row-level security: an agency member sees all of them, a
 * practice member only theirs), by name, with its figures for the range under the model asked for or its own default.
 */
export async function agencyConsole(tx: Tx, agencyId: string, query: DayRange & { model?: AttributionModelId | null }): Promise<AgencyConsoleRow[]> {
  const practices = await tx.practice.findMany({ where: { agencyId }, orderBy: { name: 'asc' } });
  const ids = practices.map((p) => p.id);
  const performance = await practicesPerformance(tx, ids, query);
  const health = await connectionHealth(tx, ids);
  return practices.map((practice) => {
    const { figures, trend } = performance.get(practice.id)!;
    return { practice, figures, matchRate: figures.leads > 0 ? figures.linkedLeads / figures.leads : null, health: health.get(practice.id)!, trend };
  });
}
