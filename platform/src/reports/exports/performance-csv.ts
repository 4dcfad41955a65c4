import { listAttributedPatients, type AttributedPatient } from '../../attribution/practice/attributed-patients.ts';
import type { RollupChannel } from '../../attribution/rollups.ts';
import { channelDisplayNames } from '../../channels/index.ts';
import type { Platform } from '../../platform.ts';
import { campaignPerformance, channelPerformance, modelOf, type PerformanceFigures } from '../practice-performance.ts';
import { dollars, safeCell } from './csv-cells.ts';
import { EXPORT_PAGE, ExportError, requireRange, writeInPages, type CsvReport, type PracticeExportRequest } from './csv-report.ts';
import { PATIENT_NAME_FIELDS, patientNames, type PatientName } from './patient-names.ts';

export const FIGURE_COLUMNS = [
  'leads', 'new_patients', 'credited_patients', 'production', 'collections', 'spend', 'cost_per_lead', 'cost_per_patient', 'return_on_spend',
];
export const figureCells = (f: PerformanceFigures) => [
  f.leads, f.newPatients, Number(f.creditedPatients.toFixed(6)), dollars(f.productionCents), dollars(f.collectionsCents), dollars(f.spendCents),
  dollars(f.costPerLeadCents), dollars(f.costPerPatientCents), f.returnOnSpend === null ? '' : Number(f.returnOnSpend.toFixed(4)),
];
const channelName = (channel: RollupChannel) => (channel === 'unattributed' ? 'Unattributed' : channelDisplayNames[channel]);

/** The dashboard's channel table (aggregates: everyone). */
export const channelsCsv: CsvReport<PracticeExportRequest> = {
  role: 'viewer',
  open: (r) => {
    const range = requireRange(r);
    return {
      fields: [],
      write: async (out) => {
        const rows = await r.read((tx) => channelPerformance(tx, r.practiceId, { ...range, model: r.model, locationId: r.locationId }));
        out.write(['channel', ...FIGURE_COLUMNS]);
        for (const row of rows) out.write([channelName(row.channel), ...figureCells(row)].map(safeCell));
        return rows.length;
      },
    };
  },
};

/** Per campaign, of one channel or all (aggregates: everyone). */
export const campaignsCsv: CsvReport<PracticeExportRequest> = {
  role: 'viewer',
  open: (r) => {
    const range = requireRange(r);
    return {
      fields: [],
      params: r.channel ? { channel: r.channel } : undefined,
      write: async (out) => {
        const rows = await r.read((tx) => campaignPerformance(tx, r.practiceId, { ...range, model: r.model, locationId: r.locationId, channel: r.channel }));
        out.write(['channel', 'campaign', ...FIGURE_COLUMNS]);
        for (const row of rows) out.write([channelName(row.channel), row.campaign ?? '(no campaign)', ...figureCells(row)].map(safeCell));
        return rows.length;
      },
    };
  },
};

/** A channel's drill-down: its new patients with their names (analysts and admins), a page at a time. */
export function patientsCsv(platform: Platform): CsvReport<PracticeExportRequest> {
  return {
    role: 'analyst',
    open: (r) => {
      const range = requireRange(r);
      const channel = r.channel;
      if (!channel) throw new ExportError(400, 'Name the channel whose patients to export (channel=paid-search, say).');
      return {
        fields: PATIENT_NAME_FIELDS,
        params: { channel },
        write: (out) => {
          out.write(['chart', 'first_name', 'last_name', 'first_contact', 'first_visit', 'campaigns', 'ad_groups', 'keywords', 'production', 'stage', 'credit', 'match_confidence']);
          return writeInPages<{ item: AttributedPatient; name: PatientName | undefined }>(
            ({ offset }) =>
              r.read(async (tx) => {
                const model = await modelOf(tx, r.practiceId, r.model);
                const { items } = await listAttributedPatients(tx, {
                  practiceId: r.practiceId, channel, model, ...range, locationId: r.locationId, order: 'first-visit', descending: false, limit: EXPORT_PAGE, offset,
                });
                const names = await patientNames(tx, platform.keys, r, items.map((i) => i.patientId));
                return items.map((item) => ({ item, name: names.get(item.patientId) }));
              }),
            (rows) => {
              for (const { item, name } of rows) out.write(patientCells(item, name).map(safeCell));
            },
          );
        },
      };
    },
  };
}

const patientCells = (item: AttributedPatient, name: PatientName | undefined) => [
  name?.chart ?? '', name?.firstName ?? '', name?.lastName ?? '', item.firstContactOn ?? '', item.firstVisitOn, item.campaigns.join('; '), item.adGroups.join('; '),
  item.keywords.join('; '), dollars(item.productionCents), item.status, Number(item.share.toFixed(6)), item.confidence === null ? '' : Number(item.confidence.toFixed(4)),
];
