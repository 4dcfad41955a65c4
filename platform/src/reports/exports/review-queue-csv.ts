import { findLeads, type LeadListItem } from '../../leads/list-leads.ts';
import { readLeadPhi, type LeadPhi } from '../../leads/read-lead-phi.ts';
import { reviewPairs, reviewQueueKeys, type ReviewQueueItem } from '../../matching/practice/list-matches.ts';
import type { Platform } from '../../platform.ts';
import { dollars, safeCell } from './csv-cells.ts';
import { EXPORT_PAGE, instant, type CsvReport, type PracticeExportRequest } from './csv-report.ts';
import { PATIENT_NAME_FIELDS, patientNames, type PatientName } from './patient-names.ts';

const COLUMNS = [
  'lead_occurred_at', 'lead_kind', 'lead_channel', 'lead_campaign', 'lead_name', 'lead_phone', 'lead_email', 'chart', 'patient_first_name', 'patient_last_name',
  'confidence', 'method', 'evidence', 'revenue_at_stake',
];

interface PairRow {
  pair: ReviewQueueItem;
  lead: LeadListItem | undefined;
  phi: LeadPhi;
  patient: PatientName | undefined;
}

/**
 * The review queue as a file, in the screen's order (most revenue at stake first): each pair's lead and chart by name,
 * the evidence (outcomes and weights, never the compared values). Analysts and admins, as the screen.
 */
export function reviewQueueCsv(platform: Platform): CsvReport<PracticeExportRequest> {
  return {
    role: 'analyst',
    open: (r) => ({
      fields: ['lead.name', 'lead.phone', 'lead.email', ...PATIENT_NAME_FIELDS],
      write: async (out) => {
        out.write(COLUMNS);
        // The queue's order is taken once; its pairs are then read a page at a time, so a pair decided meanwhile is left
        // out rather than shifting the pages (offsets would skip or repeat pairs).
        const keys = await r.read((tx) => reviewQueueKeys(tx, r.practiceId));
        let written = 0;
        for (let from = 0; from < keys.length; from += EXPORT_PAGE) {
          const rows = await r.read(async (tx): Promise<PairRow[]> => {
            const items = await reviewPairs(tx, r.practiceId, keys.slice(from, from + EXPORT_PAGE));
            if (!items.length) return [];
            const leadIds = [...new Set(items.map((i) => i.leadId))];
            const leads = new Map((await findLeads(tx, leadIds)).map((l) => [l.id, l]));
            const phi = await readLeadPhi(tx, platform.keys, r.principal, { practiceId: r.practiceId, leadIds, fields: ['name', 'phone', 'email'], origin: r.origin });
            const patients = await patientNames(tx, platform.keys, r, items.map((i) => i.patientId));
            return items.map((pair) => ({ pair, lead: leads.get(pair.leadId), phi: phi.get(pair.leadId) ?? {}, patient: patients.get(pair.patientId) }));
          });
          for (const row of rows) out.write(pairCells(row).map(safeCell));
          written += rows.length;
        }
        return written;
      },
    }),
  };
}

/** "phone exact +6.1; surname typo +2.3": each comparison's outcome and weight in bits. */
const evidenceText = (pair: ReviewQueueItem) =>
  (pair.explanation?.comparisons ?? []).map((c) => `${c.comparison} ${c.outcome} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(1)}`).join('; ');

const pairCells = ({ pair, lead, phi, patient }: PairRow) => [
  instant(lead?.occurredAt), lead?.kind, lead?.channelDisplayName, lead?.campaign, phi.name, phi.phone, phi.email, patient?.chart, patient?.firstName,
  patient?.lastName, Number(pair.confidence.toFixed(4)), pair.method, evidenceText(pair), dollars(pair.revenueAtStakeCents),
];
