import { leadStages, type LeadStage } from '../../attribution/practice/lead-stages.ts';
import { canReadPhi } from '../../auth/roles.ts';
import { dayBoundsIn } from '../report-range.ts';
import type { ChannelId } from '../../channels/index.ts';
import { referrerHost } from '../../channels/lead-touch.ts';
import { listLeads, type LeadListItem, type LeadStatusFilter } from '../../leads/list-leads.ts';
import { readLeadPhi, type LeadPhi } from '../../leads/read-lead-phi.ts';
import { matchesOfLeads, type LeadMatchItem } from '../../matching/practice/list-matches.ts';
import type { Platform } from '../../platform.ts';
import { safeCell } from './csv-cells.ts';
import { EXPORT_PAGE, ExportError, instant, writeInPages, type CsvReport, type PracticeExportRequest } from './csv-report.ts';
import { fullName, PATIENT_NAME_FIELDS, patientNames, type PatientName } from './patient-names.ts';

const STATUSES: readonly LeadStatusFilter[] = ['all', 'unmatched', 'not-seen', 'repeat'];

const COLUMNS = ['occurred_at', 'kind', 'channel', 'channel_rule', 'source', 'medium', 'campaign', 'ad_group', 'keyword', 'referrer_host', 'duration_seconds', 'contact'];
/** Who got in touch, whom matching linked and whether they came in: PHI, for analysts and admins only (as on the Leads screen). */
const PEOPLE_COLUMNS = ['stage', 'name', 'phone', 'email', 'matched_to'];
const PEOPLE_FIELDS = ['lead.name', 'lead.phone', 'lead.email', ...PATIENT_NAME_FIELDS];

interface LeadRow {
  lead: LeadListItem;
  stage?: LeadStage;
  phi?: LeadPhi;
  matches?: { match: LeadMatchItem; patient: PatientName | undefined }[];
}

/**
 * The Leads screen as a file, newest first, with its filters (`status=all|unmatched|not-seen|repeat`, `channel`, and
 * `from`/`to` as whole days in the practice's zone).
 * Viewers get the same rows without the people columns — never a name, phone, e-mail or whether someone came in — as
 * the screen shows them, and not the pipeline filter; analysts and admins get them, opened (and audited) a page at a
 * time.
 */
export function leadsCsv(platform: Platform): CsvReport<PracticeExportRequest> {
  return {
    role: 'viewer',
    open: async (r) => {
      // The screen's URLs say NOT_SEEN, as the API does.
      const status = (r.param('status') ?? 'all').toLowerCase().replaceAll('_', '-') as LeadStatusFilter;
      if (!STATUSES.includes(status)) throw new ExportError(400, `Unknown status: use one of ${STATUSES.join(', ')}.`);
      if (r.channel === 'unattributed') throw new ExportError(400, 'Every lead has a channel: unattributed is for patients.');
      const channel = r.channel as ChannelId | null;
      const people = canReadPhi(r.role);
      if (status === 'not-seen' && !people) throw new ExportError(403, 'Who came in for care is for analysts and admins: export all, unmatched or repeat leads.');
      // `from` and `to`: whole days in the practice's zone, either may be left out.
      const days = { from: r.param('from') || null, to: r.param('to') || null };
      if (days.from && days.to && days.from > days.to) throw new ExportError(400, 'The start date must be on or before the end date.');
      const bounds = await r.read(async (tx) => dayBoundsIn(tx, days, (await tx.practice.findUniqueOrThrow({ where: { id: r.practiceId }, select: { timeZone: true } })).timeZone));
      return {
        fields: people ? PEOPLE_FIELDS : [],
        params: { status },
        write: (out) => {
          out.write(people ? [...COLUMNS, ...PEOPLE_COLUMNS] : COLUMNS);
          return writeInPages<LeadRow>(
            ({ last }) =>
              r.read(async (tx) => {
                const leads = await listLeads(tx, r.practiceId, { status, channel, ...bounds }, { after: last?.lead.id ?? null, limit: EXPORT_PAGE, inverted: false });
                if (!people || !leads.length) return leads.map((lead) => ({ lead }));
                const ids = leads.map((l) => l.id);
                const stages = new Map((await leadStages(tx, ids)).map((s) => [s.leadId, s.stage]));
                const phi = await readLeadPhi(tx, platform.keys, r.principal, { practiceId: r.practiceId, leadIds: ids, fields: ['name', 'phone', 'email'], origin: r.origin });
                const matches = await matchesOfLeads(tx, ids);
                const patients = await patientNames(tx, platform.keys, r, matches.map((m) => m.patientId));
                return leads.map((lead) => ({
                  lead,
                  stage: stages.get(lead.id),
                  phi: phi.get(lead.id) ?? {},
                  matches: matches.filter((m) => m.leadId === lead.id).map((match) => ({ match, patient: patients.get(match.patientId) })),
                }));
              }),
            (rows) => {
              for (const row of rows) out.write([...leadCells(row.lead), ...(people ? peopleCells(row) : [])].map(safeCell));
            },
          );
        },
      };
    },
  };
}

const leadCells = (l: LeadListItem) => [
  instant(l.occurredAt), l.kind, l.channelDisplayName, l.channelRule, l.source, l.medium, l.campaign, l.adGroup, l.keyword, referrerHost(l.referrer),
  l.durationSeconds, l.contactType,
];

/** "Ana Ruiz (A1042, link 0.97); Chart 77 (review 0.55)": whom matching linked, or queued for review. */
const peopleCells = ({ stage, phi, matches }: LeadRow) => [
  stage,
  phi?.name, phi?.phone, phi?.email,
  (matches ?? []).map(({ match, patient }) => `${fullName(patient)} (${patient?.chart ? `${patient.chart}, ` : ''}${match.decision} ${match.confidence.toFixed(2)})`).join('; '),
];
