import { agencyConsole } from '../agency-console.ts';
import { safeCell } from './csv-cells.ts';
import { instant, requireRange, type AgencyExportRequest, type CsvReport } from './csv-report.ts';
import { FIGURE_COLUMNS, figureCells } from './performance-csv.ts';

/**
 * The agency console as a file: every practice of the agency the caller sees, with its figures for the range under
 * the model asked for (each practice's own default without one), match rate and sync health. Aggregates: everyone.
 */
export const agencyPracticesCsv: CsvReport<AgencyExportRequest> = {
  role: 'viewer',
  open: (r) => {
    const range = requireRange(r);
    return {
      fields: [],
      write: async (out) => {
        const rows = await r.read((tx) => agencyConsole(tx, r.agencyId, { ...range, model: r.model }));
        out.write(['practice', 'time_zone', ...FIGURE_COLUMNS, 'match_rate', 'sync_health', 'last_synced_at']);
        for (const row of rows) {
          out.write(
            [
              row.practice.name, row.practice.timeZone, ...figureCells(row.figures), row.matchRate === null ? '' : Number(row.matchRate.toFixed(4)),
              row.health.status, instant(row.health.lastSyncedAt),
            ].map(safeCell),
          );
        }
        return rows.length;
      },
    };
  },
};
