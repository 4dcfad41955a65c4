import { addDaysToDate, dateInZone, defineConnector } from '@sourceline/sdk';
import { Ga4DataApiClient } from './data-api.ts';
import { ga4Settings } from './settings.ts';
import { trafficStream } from './traffic-stream.ts';

/**
 * A GA4 property through the Data API: daily traffic and key events by session source / medium / campaign. Only
 * aggregates cross this boundary; per-lead joins use the lead's own UTMs and click ids, never GA4 user data.
 */
const ga4 = defineConnector({
  id: 'ga4',
  kind: 'lead-source',
  displayName: 'Google Analytics 4',
  description: 'Daily sessions, users and key events by source, medium and campaign, for channel volume and conversion rates.',
  settings: ga4Settings,
  streams: [trafficStream],
  async testConnection({ settings, http }) {
    const day = addDaysToDate(dateInZone(new Date()), -2);
    await new Ga4DataApiClient(http, settings).runReport(day, day, 0);
    return `Connected: GA4 property ${settings.propertyId} answered a report.`;
  },
});

export default ga4;
export { ga4 };
export { ga4Settings, type Ga4Settings } from './settings.ts';
export { ga4MetricId } from './report-rows.ts';
