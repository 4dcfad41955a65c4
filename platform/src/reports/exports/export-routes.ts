import { stringify } from 'csv-stringify';
import express, { type Request, type Response } from 'express';
import { AttributionModelId } from '../../attribution/attribution-settings.ts';
import { listAttributedPatients, listNewPatients } from '../../attribution/practice/attributed-patients.ts';
import type { RollupChannel } from '../../attribution/rollups.ts';
import { recordAuditEvent, type AuditOrigin } from '../../audit/record-audit-event.ts';
import { authenticate } from '../../auth/authenticate.ts';
import { scopeOf, type Principal } from '../../auth/principal.ts';
import { roleAtLeast, type Role } from '../../auth/roles.ts';
import { SESSION_COOKIE } from '../../auth/sessions.ts';
import { channelDisplayNames, ChannelId } from '../../channels/index.ts';
import { withTenant } from '../../db/tenant-transaction.ts';
import { UserFacingError } from '../../errors.ts';
import { openAdConversionsCsv } from '../../conversions/ad-conversions-csv.ts';
import { readPatientPhi } from '../../patients/read-patient-phi.ts';
import type { Platform } from '../../platform.ts';
import { parseCookies } from '../../http/cookies.ts';
import { requestOrigin } from '../../http/request-origin.ts';
import { campaignPerformance, channelPerformance, modelOf, type PerformanceFigures } from '../practice-performance.ts';
import { listMonthSnapshots, monthDrift, monthFigures, monthRange } from '../month-snapshots.ts';
import { renderMonthReport } from '../pdf/month-report-pdf.ts';
import { parseDayRange } from '../report-range.ts';
import { dollars, safeCell } from './csv-cells.ts';
import { isUuid } from '../../ids.ts';

/** Patients are read and written this many at a time, so a large practice's export streams instead of filling memory. */
const PATIENT_CHUNK = 500;

class ExportError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const FIGURE_COLUMNS = [
  'leads', 'new_patients', 'credited_patients', 'production', 'collections', 'spend', 'cost_per_lead', 'cost_per_patient', 'return_on_spend',
];
const figureCells = (f: PerformanceFigures) => [
  f.leads, f.newPatients, Number(f.creditedPatients.toFixed(6)), dollars(f.productionCents), dollars(f.collectionsCents), dollars(f.spendCents),
  dollars(f.costPerLeadCents), dollars(f.costPerPatientCents), f.returnOnSpend === null ? '' : Number(f.returnOnSpend.toFixed(4)),
];
const channelName = (channel: RollupChannel) => (channel === 'unattributed' ? 'Unattributed' : channelDisplayNames[channel]);

interface ExportRequest {
  principal: Principal;
  origin: AuditOrigin;
  practiceId: string;
  range: { from: string; to: string };
  model: AttributionModelId | null;
  channel: RollupChannel | null;
  locationId: string | null;
  /** A query parameter of the report's own, as given. */
  param(name: string): string | null;
}

type CsvOut = ReturnType<typeof stringify>;

interface CsvReport {
  role: Role;
  /** The PHI the file carries, named in its audit event. */
  fields: string[];
  /** Checks the report's own parameters — before anything is audited or sent — and returns its writer (rows written). */
  open(request: ExportRequest): (out: CsvOut) => Promise<number>;
}

/**
 * The reports as files: `GET /exports/<practice id>/<report>.csv?from=…&to=…[&model=…][&channel=…]` and
 * `month-report.pdf?month=YYYY-MM`, for the signed-in browser (session cookie) or an API token. Channels and campaigns
 * are aggregates (everyone with access); patients and the Google Ads conversions file (click ids of patients' leads)
 * are for analysts and admins (viewers' month reports leave the list of patients out). Every export is audited before
 * the first byte; CSV rows stream as they are read.
 */
export function exportRoutes(platform: Platform): express.Router {
  const router = express.Router();
  const reports: Record<string, CsvReport> = {
    channels: {
      role: 'viewer',
      fields: [],
      open: (r) => async (out) => {
        const rows = await withTenant(platform.db.prisma, scopeOf(r.principal), (tx) => channelPerformance(tx, r.practiceId, { ...r.range, model: r.model, locationId: r.locationId }));
        out.write(['channel', ...FIGURE_COLUMNS]);
        for (const row of rows) out.write([channelName(row.channel), ...figureCells(row)].map(safeCell));
        return rows.length;
      },
    },
    campaigns: {
      role: 'viewer',
      fields: [],
      open: (r) => async (out) => {
        const rows = await withTenant(platform.db.prisma, scopeOf(r.principal), (tx) =>
          campaignPerformance(tx, r.practiceId, { ...r.range, model: r.model, locationId: r.locationId, channel: r.channel }),
        );
        out.write(['channel', 'campaign', ...FIGURE_COLUMNS]);
        for (const row of rows) out.write([channelName(row.channel), row.campaign ?? '(no campaign)', ...figureCells(row)].map(safeCell));
        return rows.length;
      },
    },
    patients: {
      role: 'analyst',
      fields: ['patient.firstName', 'patient.lastName'],
      open: (r) => {
        if (!r.channel) throw new ExportError(400, 'Name the channel whose patients to export (channel=paid-search, say).');
        return (out) => writePatients(r, out);
      },
    },
    // Click ids of patients' leads, with their first visits' value: Google Ads' import file (analysts and admins).
    'google-ads-conversions': {
      role: 'analyst',
      fields: ['lead.gclid'],
      open: (r) => {
        const write = openAdConversionsCsv({
          practiceId: r.practiceId, range: r.range, param: r.param, read: (fn) => withTenant(platform.db.prisma, scopeOf(r.principal), fn),
        });
        return async (out) => {
          const { rows, skipped } = await write(out);
          platform.logger.info({ practiceId: r.practiceId, skipped }, 'patients matched to an ad click left out of the Google Ads file');
          return rows;
        };
      },
    },
  };

  /** A channel's new patients with their names, 500 at a time. */
  async function writePatients(r: ExportRequest, out: CsvOut): Promise<number> {
    out.write(['chart', 'first_name', 'last_name', 'first_contact', 'first_visit', 'campaigns', 'ad_groups', 'keywords', 'production', 'stage', 'credit', 'match_confidence']);
    let written = 0;
    for (let offset = 0; ; offset += PATIENT_CHUNK) {
      const { items, names, charts } = await withTenant(platform.db.prisma, scopeOf(r.principal), async (tx) => {
        const model = await modelOf(tx, r.practiceId, r.model);
        const page = await listAttributedPatients(tx, {
          practiceId: r.practiceId, channel: r.channel!, model, ...r.range, locationId: r.locationId, order: 'first-visit', descending: false,
          limit: PATIENT_CHUNK, offset,
        });
        const ids = page.items.map((i) => i.patientId);
        const opened = ids.length
          ? await readPatientPhi(tx, platform.keys, r.principal, { practiceId: r.practiceId, patientIds: ids, fields: ['firstName', 'lastName'], origin: r.origin })
          : new Map();
        const rows = await tx.patient.findMany({ where: { id: { in: ids } }, select: { id: true, sourceId: true } });
        return { items: page.items, names: opened, charts: new Map(rows.map((p) => [p.id, p.sourceId])) };
      });
      for (const item of items) {
        const name = names.get(item.patientId) ?? {};
        out.write(
          [
            charts.get(item.patientId) ?? '', name.firstName ?? '', name.lastName ?? '', item.firstContactOn ?? '', item.firstVisitOn,
            item.campaigns.join('; '), item.adGroups.join('; '), item.keywords.join('; '), dollars(item.productionCents), item.status,
            Number(item.share.toFixed(6)), item.confidence === null ? '' : Number(item.confidence.toFixed(4)),
          ].map(safeCell),
        );
      }
      written += items.length;
      if (items.length < PATIENT_CHUNK) return written;
    }
  }

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
          const rows = await listNewPatients(tx, practiceId, range, 2_000);
          const names = rows.length
            ? await readPatientPhi(tx, platform.keys, principal, { practiceId, patientIds: rows.map((r) => r.patientId), fields: ['firstName', 'lastName'], origin })
            : new Map();
          patients = rows.map((r) => ({
            name: [names.get(r.patientId)?.firstName, names.get(r.patientId)?.lastName].filter(Boolean).join(' ') || 'Unnamed chart',
            firstVisitOn: r.firstVisitOn,
            channel: r.primaryChannel,
            productionCents: r.productionCents,
          }));
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

  router.get('/:practiceId/:file', async (req: Request, res: Response) => {
    try {
      const [name, extension] = String(req.params.file).split('.');
      const report = name ? reports[name] : undefined;
      if (!report || extension !== 'csv') {
        throw new ExportError(404, `No such export. Try channels.csv, campaigns.csv, patients.csv, google-ads-conversions.csv or month-report.pdf.`);
      }
      const principal = await principalOf(platform, req);
      const practiceId = String(req.params.practiceId);
      if (!isUuid(practiceId) || !principal.practiceRoles.has(practiceId)) throw new ExportError(404, 'That practice does not exist, or is not yours to see.');
      if (!roleAtLeast(principal.practiceRoles.get(practiceId), report.role)) throw new ExportError(403, 'You do not have permission to export this report.');
      const origin = requestOrigin(req, platform.config.TRUST_PROXY);
      const request = { ...parseRequest(principal, practiceId, req.query), origin };
      const write = report.open(request);

      await withTenant(platform.db.prisma, scopeOf(principal), (tx) =>
        recordAuditEvent(tx, {
          action: 'export.csv',
          practiceId,
          actor: { userId: principal.userId, tokenId: principal.tokenId },
          origin,
          fields: report.fields,
          details: { report: name!, from: request.range.from, to: request.range.to, channel: request.channel },
        }),
      );
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `attachment; filename="sourceline-${name}${request.channel ? `-${request.channel}` : ''}-${request.range.from}-to-${request.range.to}.csv"`);
      const out = stringify();
      out.pipe(res);
      const rows = await write(out);
      out.end();
      platform.logger.info({ practiceId, report: name, rows }, 'exported a report');
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
  });
  return router;
}

async function principalOf(platform: Platform, req: Request): Promise<Principal> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
  const principal = await authenticate(platform.db.prisma, {
    bearerToken: bearer,
    sessionToken: bearer ? null : (parseCookies(req.headers.cookie).get(SESSION_COOKIE) ?? null),
  });
  if (!principal || principal.mfaPending || principal.mfaEnrollmentRequired) throw new ExportError(401, 'Sign in first.');
  return principal;
}

function parseRequest(principal: Principal, practiceId: string, query: Request['query']): Omit<ExportRequest, 'origin'> {
  const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : null);
  const range = parseDayRange(text('from') ?? '', text('to') ?? '');
  const model = text('model');
  if (model !== null && !AttributionModelId.safeParse(model).success) {
    throw new ExportError(400, `Unknown model: use one of ${AttributionModelId.options.join(', ')}.`);
  }
  const channel = text('channel');
  if (channel !== null && channel !== 'unattributed' && !ChannelId.safeParse(channel).success) {
    throw new ExportError(400, `Unknown channel: use one of ${[...ChannelId.options, 'unattributed'].join(', ')}.`);
  }
  const locationId = text('location');
  if (locationId !== null && !isUuid(locationId)) throw new ExportError(400, 'location must be a location id.');
  return { principal, practiceId, range, model: model as AttributionModelId | null, channel: channel as RollupChannel | null, locationId, param: text };
}
