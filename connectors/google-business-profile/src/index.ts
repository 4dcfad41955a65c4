import { addDaysToDate, dateInZone, defineConnector } from '@sourceline/sdk';
import { dailyMetricsStream } from './daily-metrics-stream.ts';
import { PerformanceApiClient } from './performance-api.ts';
import { gbpSettings } from './settings.ts';

/**
 * Google Business Profile listings: daily interaction counts from the Performance API. Aggregates only; calls from a
 * listing are attributed through its CallRail tracking number, not here.
 */
const googleBusinessProfile = defineConnector({
  id: 'google-business-profile',
  kind: 'lead-source',
  displayName: 'Google Business Profile',
  description: 'Daily call clicks, website clicks, direction requests and impressions of the practice’s listings.',
  settings: gbpSettings,
  streams: [dailyMetricsStream],
  async testConnection({ settings, http }) {
    const client = new PerformanceApiClient(http, settings);
    const day = addDaysToDate(dateInZone(new Date()), -7);
    for (const locationId of settings.locationIds) await client.fetchDailyMetrics(locationId, ['CALL_CLICKS'], day, day);
    return `Connected: Google answered for ${settings.locationIds.length} listing(s).`;
  },
});

export default googleBusinessProfile;
export { googleBusinessProfile };
export { gbpSettings, type GbpSettings, dailyMetricFields } from './settings.ts';
export { gbpMetricId } from './daily-metrics.ts';
