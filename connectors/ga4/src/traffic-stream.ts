import { dayCursor, defineStream, emitted, FatalError, readJsonPayload, syncDailyWindow, type DayCursor } from '@sourceline/sdk';
import { Ga4DataApiClient } from './data-api.ts';
import { metricsOfReport, readReport } from './report-rows.ts';
import type { Ga4Settings } from './settings.ts';

/** Days per report request and commit. */
const chunkDays = 14;

export const trafficStream = defineStream<Ga4Settings, DayCursor>({
  name: 'traffic',
  description: 'Daily sessions, users and key events per session source / medium / campaign (aggregates, no user data)',
  emits: ['ga4-metric'],
  defaultIntervalMinutes: 24 * 60,
  cursor: dayCursor,
  async sync(ctx) {
    const client = new Ga4DataApiClient(ctx.http, ctx.settings);
    const { backfillDays, overlapDays, propertyId } = ctx.settings;
    await syncDailyWindow(ctx, { backfillDays, overlapDays, chunkDays }, async (from, to) => {
      for (let offset = 0; ;) {
        const read = readReport(await client.runReport(from, to, offset), `report ${from}`);
        if ('issues' in read) throw new FatalError(`GA4 sent an unexpected report for ${from}…${to} (${read.issues[0]!.field})`);
        const { metrics, issues } = metricsOfReport(read.report, propertyId, `report ${from}`);
        for (const issue of issues) ctx.log.warn('skipped an unreadable report row', { record: issue.record, field: issue.field });
        if (metrics.length > 0) await ctx.emit('ga4-metric', metrics);
        offset += read.report.rows.length;
        if (read.report.rows.length === 0 || offset >= read.report.rowCount) break;
      }
      ctx.log.info('report synced', { propertyId, from, to });
    });
  },
  parse(payload, settings) {
    const json = readJsonPayload(payload);
    if (!json.ok) return { records: [], issues: [json.issue] };
    const read = readReport(json.value, payload.name);
    if ('issues' in read) return { records: [], issues: read.issues };
    // The response does not name its property.
    const propertyId = settings.propertyId ?? 'unknown-property';
    const { metrics, issues } = metricsOfReport(read.report, propertyId, payload.name);
    const missing = settings.propertyId ? [] : [{ record: payload.name, field: '(settings)', message: 'no propertyId given: ids use "unknown-property"' }];
    return { records: metrics.map((m) => emitted('ga4-metric', m)), issues: [...issues, ...missing] };
  },
});
