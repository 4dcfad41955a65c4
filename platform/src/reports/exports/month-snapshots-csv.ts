import { listMonthSnapshots, monthDrift } from '../month-snapshots.ts';
import { dollars, safeCell } from './csv-cells.ts';
import { instant, type CsvReport, type PracticeExportRequest } from './csv-report.ts';
import { FIGURE_COLUMNS, figureCells } from './performance-csv.ts';

/**
 * The frozen months, newest first: the figures as frozen at close with their hash (and whether they still match it),
 * and what late data changed since. Aggregates: everyone, as the Month-end screen.
 */
export const monthSnapshotsCsv: CsvReport<PracticeExportRequest> = {
  role: 'viewer',
  open: (r) => ({
    fields: [],
    write: async (out) => {
      const rows = await r.read(async (tx) =>
        Promise.all((await listMonthSnapshots(tx, r.practiceId)).map(async (snapshot) => ({ snapshot, drift: await monthDrift(tx, r.practiceId, snapshot) }))),
      );
      out.write(['month', 'model', 'frozen_at', 'content_hash', 'intact', ...FIGURE_COLUMNS, 'drift_leads', 'drift_new_patients', 'drift_production', 'drift_spend']);
      for (const { snapshot: s, drift } of rows) {
        out.write(
          [
            s.month, s.figures.model, instant(s.frozenAt), s.contentHash, String(s.intact), ...figureCells(s.figures.totals),
            // Numbers, not text: a negative drift as text would read as a formula and be defused.
            drift.leads, drift.newPatients, Number(dollars(drift.productionCents)), Number(dollars(drift.spendCents)),
          ].map(safeCell),
        );
      }
      return rows.length;
    },
  }),
};
