import { findPracticeConnection } from '../../connections/connections.ts';
import { listSyncRuns } from '../../connections/list-sync-runs.ts';
import type { SyncRun } from '../../generated/prisma/client.ts';
import { isUuid } from '../../ids.ts';
import { safeCell } from './csv-cells.ts';
import { EXPORT_PAGE, ExportError, instant, writeInPages, type CsvReport, type PracticeExportRequest } from './csv-report.ts';

const VERBS = ['inserted', 'updated', 'deleted', 'skipped'] as const;

/** A run's record counts summed over record kinds (`{ patient: { inserted: 3, … }, … }`). */
function countsOf(run: SyncRun): number[] {
  const kinds = Object.values((run.counts ?? {}) as Record<string, Partial<Record<(typeof VERBS)[number], number>>>);
  return VERBS.map((verb) => kinds.reduce((sum, k) => sum + (k?.[verb] ?? 0), 0));
}

/**
 * A connection's run history (`connection=<id>`), newest first, as its page shows it: stream, trigger, status,
 * progress, record counts, rejected records by kind, source id and field (never values). Everyone who sees the page.
 */
export const syncRunsCsv: CsvReport<PracticeExportRequest> = {
  role: 'viewer',
  open: async (r) => {
    const connectionId = r.param('connection') ?? '';
    // Another practice's connection (or another tenant's, which row-level security hides) is simply not found.
    const connection = isUuid(connectionId) ? await r.read((tx) => findPracticeConnection(tx, r.practiceId, connectionId)) : null;
    if (!connection) throw new ExportError(404, 'That connection does not exist in this practice.');
    return {
      fields: [],
      params: { connection: connection.id },
      write: (out) => {
        out.write(['started_at', 'finished_at', 'stream', 'trigger', 'status', 'progress_done', 'progress_total', ...VERBS, 'error_count', 'errors', 'failure']);
        return writeInPages<SyncRun>(
          ({ last }) => r.read((tx) => listSyncRuns(tx, connection.id, { limit: EXPORT_PAGE, before: last })),
          (runs) => {
            for (const run of runs) {
              out.write(
                [
                  instant(run.startedAt), instant(run.finishedAt), run.stream, run.trigger, run.status, Number(run.progressDone),
                  run.progressTotal === null ? null : Number(run.progressTotal), ...countsOf(run), run.errorCount, run.errorCount ? JSON.stringify(run.errors) : '', run.failure,
                ].map(safeCell),
              );
            }
          },
        );
      },
    };
  },
};
