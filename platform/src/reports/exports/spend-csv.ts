import { channelDisplayNames } from '../../channels/index.ts';
import { listSpend, spendDateRange, type SpendItem } from '../../spend/list-spend.ts';
import { dollars, safeCell } from './csv-cells.ts';
import { EXPORT_PAGE, requireRange, writeInPages, type CsvReport, type PracticeExportRequest } from './csv-report.ts';

/** The Spend screen's rows for the range (at most 366 days, as the screen), newest day first. No PHI: everyone. */
export const spendCsv: CsvReport<PracticeExportRequest> = {
  role: 'viewer',
  open: (r) => {
    const range = requireRange(r);
    // Checked now, as the screen's reader will check it: once rows stream, a refusal could only cut the file short.
    spendDateRange(range.from, range.to);
    return {
      fields: [],
      write: (out) => {
        out.write(['date', 'channel', 'channel_origin', 'source', 'medium', 'campaign', 'ad_group', 'amount', 'currency', 'clicks', 'impressions', 'recorded_from']);
        return writeInPages<SpendItem>(
          ({ offset }) => r.read((tx) => listSpend(tx, r.practiceId, range, { limit: EXPORT_PAGE, offset })),
          (rows) => {
            for (const s of rows) {
              out.write(
                [
                  s.date.toISOString().slice(0, 10), channelDisplayNames[s.resolvedChannel], s.channelOrigin, s.source, s.medium, s.campaign, s.adGroup,
                  dollars(Number(s.costCents)), s.currency, s.clicks, s.impressions, s.editable ? 'Manual or CSV' : s.connection.displayName,
                ].map(safeCell),
              );
            }
          },
        );
      },
    };
  },
};
