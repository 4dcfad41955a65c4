import { dayCursor, defineStream, emitted, readJsonPayload, syncDailyWindow, type DayCursor } from '@sourceline/sdk';
import { metricsOfResponse } from './daily-metrics.ts';
import { PerformanceApiClient } from './performance-api.ts';
import type { GbpSettings } from './settings.ts';

/** Days per request and commit: a month per location keeps requests few and commits frequent. */
const chunkDays = 30;

export const dailyMetricsStream = defineStream<GbpSettings, DayCursor>({
  name: 'daily-metrics',
  description: 'Daily call clicks, website clicks, direction requests, bookings and impressions per listing',
  emits: ['gbp-metric'],
  defaultIntervalMinutes: 24 * 60,
  cursor: dayCursor,
  async sync(ctx) {
    const client = new PerformanceApiClient(ctx.http, ctx.settings);
    const { backfillDays, overlapDays } = ctx.settings;
    await syncDailyWindow(ctx, { backfillDays, overlapDays, chunkDays }, async (from, to) => {
      for (const locationId of ctx.settings.locationIds) {
        const body = await client.fetchDailyMetrics(locationId, ctx.settings.metrics, from, to);
        const { metrics, issues } = metricsOfResponse(body, locationId, `location ${locationId}`);
        if (issues.length > 0) ctx.log.warn('unreadable metrics response', { locationId, field: issues[0]!.field });
        if (metrics.length > 0) await ctx.emit('gbp-metric', metrics);
        ctx.log.info('location synced', { locationId, from, to, days: metrics.length });
      }
    });
  },
  parse(payload, settings) {
    const json = readJsonPayload(payload);
    if (!json.ok) return { records: [], issues: [json.issue] };
    // The response does not name its location; a saved one is read for the first configured listing.
    const locationId = settings.locationIds?.[0];
    const { metrics, issues } = metricsOfResponse(json.value, locationId ?? 'unknown-location', payload.name);
    const missing = locationId ? [] : [{ record: payload.name, field: '(settings)', message: 'no locationIds given: records are filed under "unknown-location"' }];
    return { records: metrics.map((m) => emitted('gbp-metric', m)), issues: [...issues, ...missing] };
  },
});
