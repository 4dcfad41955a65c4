import { stringify } from 'csv-stringify';
import express, { type Request, type Response } from 'express';
import { listNewPatients } from '../../attribution/practice/attributed-patients.ts';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { scopeOf, type Principal } from '../../auth/principal.ts';
import { roleAtLeast, type Role } from '../../auth/roles.ts';
import { openAdConversionsCsv } from '../../conversions/ad-conversions-csv.ts';
import { withTenant } from '../../db/tenant-transaction.ts';
import { UserFacingError } from '../../errors.ts';
import { requestOrigin } from '../../http/request-origin.ts';
import { isUuid } from '../../ids.ts';
import { readPatientPhi } from '../../patients/read-patient-phi.ts';
import type { Platform } from '../../platform.ts';
import { listMonthSnapshots, monthDrift, monthFigures, monthRange } from '../month-snapshots.ts';
import { renderMonthReport } from '../pdf/month-report-pdf.ts';
import { agencyPracticesCsv } from './agency-practices-csv.ts';
import { auditLogCsv } from './audit-log-csv.ts';
import { ExportError, requireRange, type AgencyExportRequest, type CsvReport, type ExportRequest, type PracticeExportRequest } from './csv-report.ts';
import { agencyExportRequest, agencyPracticesOf, agencyRoleOf, practiceExportRequest, principalOf } from './export-request.ts';
import { leadsCsv } from './leads-csv.ts';
import { monthSnapshotsCsv } from './month-snapshots-csv.ts';
import { campaignsCsv, channelsCsv, patientsCsv } from './performance-csv.ts';
import { reviewQueueCsv } from './review-queue-csv.ts';
import { spendCsv } from './spend-csv.ts';
import { syncRunsCsv } from './sync-runs-csv.ts';


/** A month report lists at most this many new patients (about 50 pages); the rest are in the channel exports. */
const PDF_PATIENTS = 2_000;
/** Where a CSV export reads, as its route names it: a practice, or an agency (its console and its own audit log). */
interface ExportScope<R extends ExportRequest> {
  /** The caller's role there; undefined when it does not exist or is not theirs to see. */
  role(principal: Principal): Role | undefined;
  request(req: Request, principal: Principal, role: Role): R;
  /** Whose audit logs record the export. */
  audited(principal: Principal): ({ practiceId: string } | { agencyId: string })[];
  /** The audit event's details besides the report, its parameters and days. */
  details(request: R): Record<string, string | null>;
  notFound: string;
}

/**
 * The reports as files, for the signed-in browser (session cookie) or an API token:
 * `GET /exports/<practice id>/<report>.csv?…` — every table of a practice's screens — and `month-report.pdf?month=YYYY-MM`;
 * `GET /exports/agencies/<agency id>/<report>.csv?…` — the agency console and the agency's own audit log.
 * Aggregates are for everyone with access; files naming people are for analysts and admins (the leads file leaves its
 * people columns out for viewers, as the Leads screen does; viewers' month reports leave the list of patients out);
 * audit logs are for admins. Every export is audited before the first byte; rows stream as they are read, each page
 * in a transaction scoped to the caller's tenants.
 */
export function exportRoutes(platform: Platform): express.Router {
  const router = express.Router();
  const practiceReports: Record<string, CsvReport<PracticeExportRequest>> = {
    channels: channelsCsv,
    campaigns: campaignsCsv,
    patients: patientsCsv(platform),
    // Click ids of patients' leads, with their first visits' value: Google Ads' import file (analysts and admins).
    'google-ads-conversions': {
      role: 'analyst',
      open: (r) => {
        const write = openAdConversionsCsv({ practiceId: r.practiceId, range: requireRange(r), param: r.param, read: r.read });
        return {
          fields: ['lead.gclid'],
          write: async (out) => {
            const { rows, skipped } = await write(out);
            platform.logger.info({ practiceId: r.practiceId, skipped }, 'patients matched to an ad click left out of the Google Ads file');
            return rows;
          },
        };
      },
    },
    leads: leadsCsv(platform),
    'review-queue': reviewQueueCsv(platform),
    spend: spendCsv,
    'month-snapshots': monthSnapshotsCsv,
    'sync-runs': syncRunsCsv,
    'audit-log': auditLogCsv(async (r) => ({
      owner: { practiceId: r.practiceId },
      timeZone: (await r.read((tx) => tx.practice.findUniqueOrThrow({ where: { id: r.practiceId }, select: { timeZone: true } }))).timeZone,
    })),
  };
  const agencyReports: Record<string, CsvReport<AgencyExportRequest>> = {
    practices: agencyPracticesCsv,
    // The agency's own events (its settings, members, invitations); whole days on UTC's calendar, as its screen.
    'audit-log': auditLogCsv(async (r) => ({ owner: { agencyId: r.agencyId }, timeZone: 'UTC' })),
  };

  router.get('/agencies/:agencyId/:file', (req, res) => {
    const agencyId = String(req.params.agencyId);
    return serveCsv(req, res, agencyReports, {
      role: (principal) => agencyRoleOf(principal, agencyId),
      request: (request, principal, role) => agencyExportRequest(platform, request, principal, agencyId, role),
      // Someone who reaches the agency only through some of its practices has no place in the agency's own log: each of
      // those practices' logs records the export of its figures instead.
      audited: (principal) => (principal.agencyRoles.has(agencyId) ? [{ agencyId }] : agencyPracticesOf(principal, agencyId).map((practiceId) => ({ practiceId }))),
      details: () => ({}),
      notFound: 'That agency does not exist, or is not yours to see.',
    });
  });

  router.get('/:practiceId/month-report.pdf', async (req: Request, res: Response) => {
    try {
      const principal = await principalOf(platform, req);
      const practiceId = String(req.params.practiceId);
      if (!isUuid(practiceId) || !principal.practiceRoles.has(practiceId)) throw new ExportError(404, 'That practice does not exist, or is not yours to see.');
      const month = typeof req.query.month === 'string' ? req.query.month : '';
      // Viewers get the aggregates; the list of new patients (names) is for analysts and admins.
      const withPatients = roleAtLeast(principal.practiceRoles.get(practiceId), 'analyst');
      const origin = requestOrigin(req, platform.config.TRUST_PROXY);
      const input = await withTenant(platform.db.prisma, scopeOf(principal), async (tx) => {
        const practice = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { name: true } });
        const range = monthRange(month);
        const snapshot = (await listMonthSnapshots(tx, practiceId)).find((s) => s.month === month) ?? null;
        const figures = snapshot?.figures ?? (await monthFigures(tx, practiceId, month));
        let patients = null;
        if (withPatients) {
          const { items: rows, total } = await listNewPatients(tx, practiceId, range, PDF_PATIENTS);
          const names = rows.length
            ? await readPatientPhi(tx, platform.keys, principal, { practiceId, patientIds: rows.map((r) => r.patientId), fields: ['firstName', 'lastName'], origin })
            : new Map();
          patients = {
            total,
            listed: rows.map((r) => ({
              name: [names.get(r.patientId)?.firstName, names.get(r.patientId)?.lastName].filter(Boolean).join(' ') || 'Unnamed chart',
              firstVisitOn: r.firstVisitOn,
              channel: r.primaryChannel,
              productionCents: r.productionCents,
            })),
          };
        }
        await recordAuditEvent(tx, {
          action: 'export.pdf',
          practiceId,
          actor: { userId: principal.userId, tokenId: principal.tokenId },
          origin,
          fields: withPatients ? ['patient.firstName', 'patient.lastName'] : [],
          details: { report: 'month-report', month, frozen: snapshot !== null },
        });
        const frozen = snapshot
          ? { frozenAt: snapshot.frozenAt, contentHash: snapshot.contentHash, intact: snapshot.intact, drift: await monthDrift(tx, practiceId, snapshot) }
          : null;
        return { practiceName: practice.name, figures, frozen, patients, generatedAt: new Date() };
      });
      const pdf = await renderMonthReport(input);
      res.status(200);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `attachment; filename="sourceline-month-report-${month}.pdf"`);
      res.end(pdf);
    } catch (error) {
      const status = error instanceof ExportError ? error.status : error instanceof UserFacingError ? 400 : 500;
      if (status === 500) platform.logger.error({ err: error }, 'a month-end report failed');
      res.status(status).type('text/plain').send(status === 500 ? 'The report failed. Try again in a moment.' : (error as Error).message);
    }
  });

  router.get('/:practiceId/:file', (req, res) => {
    const practiceId = String(req.params.practiceId);
    return serveCsv(req, res, practiceReports, {
      role: (principal) => (isUuid(practiceId) ? principal.practiceRoles.get(practiceId) : undefined),
      request: (request, principal, role) => practiceExportRequest(platform, request, principal, practiceId, role),
      audited: () => [{ practiceId }],
      details: (r) => ({ channel: r.channel }),
      notFound: 'That practice does not exist, or is not yours to see.',
    });
  });

  /** Checks, audits, then streams one CSV export; refusals are plain-text 4xx answers with nothing audited or sent. */
  async function serveCsv<R extends ExportRequest>(req: Request, res: Response, reports: Record<string, CsvReport<R>>, scope: ExportScope<R>): Promise<void> {
    try {
      const [name, extension] = String(req.params.file).split('.');
      const report = name && Object.hasOwn(reports, name) ? reports[name] : undefined;
      if (!report || extension !== 'csv') throw new ExportError(404, `No such export. Try ${Object.keys(reports).map((n) => `${n}.csv`).join(', ')}.`);
      const principal = await principalOf(platform, req);
      const role = scope.role(principal);
      if (!role) throw new ExportError(404, scope.notFound);
      if (!roleAtLeast(role, report.role)) throw new ExportError(403, 'You do not have permission to export this report.');
      const request = scope.request(req, principal, role);
      const file = await report.open(request);
      const days = { from: request.param('from'), to: request.param('to') };

      const audited = scope.audited(principal);
      await request.read(async (tx) => {
        for (const tenant of audited) {
          await recordAuditEvent(tx, {
            action: 'export.csv',
            ...tenant,
            actor: { userId: principal.userId, tokenId: principal.tokenId },
            origin: request.origin,
            fields: file.fields,
            details: { report: name!, ...days, ...scope.details(request), ...file.params },
          });
        }
      });
      const tag = [name, ...Object.values(file.params ?? {}), ...(days.from && days.to ? [`${days.from}-to-${days.to}`] : [])].join('-');
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      // Parameters are the caller's text: only safe characters reach the header.
      res.setHeader('Content-Disposition', `attachment; filename="sourceline-${tag.replace(/[^\w.-]+/g, '_')}.csv"`);
      const out = stringify();
      out.pipe(res);
      const rows = await file.write(out);
      out.end();
      platform.logger.info({ audited, report: name, rows }, 'exported a report');
    } catch (error) {
      if (res.headersSent) {
        platform.logger.error({ err: error }, 'an export failed after it started streaming');
        res.destroy();
        return;
      }
      const status = error instanceof ExportError ? error.status : error instanceof UserFacingError ? 400 : 500;
      if (status === 500) platform.logger.error({ err: error }, 'an export failed');
      res.status(status).type('text/plain').send(status === 500 ? 'The export failed. Try again in a moment.' : (error as Error).message);
    }
  }

  return router;
}
