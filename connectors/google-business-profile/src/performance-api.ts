import { accessTokenSource, describeGoogleApiError, FatalError, readJsonPayload, type HttpClient } from '@sourceline/sdk';
import type { DailyMetric, GbpSettings } from './settings.ts';

/** `2025-03-14` → the API's `dailyRange.startDate.year=2025&…month=3&…day=14` parameters. */
function dateParameters(prefix: string, date: string): [string, string][] {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return [[`${prefix}.year`, String(year)], [`${prefix}.month`, String(month)], [`${prefix}.day`, String(day)]];
}

/** The Business Profile Performance API: several daily metrics of one location over a date range in one call. */
export class PerformanceApiClient {
  private readonly accessToken: () => Promise<string>;

  constructor(private readonly http: HttpClient, private readonly settings: GbpSettings) {
    this.accessToken = accessTokenSource(http, {
      tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, refreshToken: settings.refreshToken,
    }, 'Google');
  }

  /** `GET v1/locations/{id}:fetchMultiDailyMetricsTimeSeries`, as JSON. */
  async fetchDailyMetrics(locationId: string, metrics: readonly DailyMetric[], from: string, to: string): Promise<unknown> {
    // `dailyMetrics` repeats once per metric, which a flat query object cannot say: build the URL here.
    const query = new URLSearchParams([
      ...metrics.map((metric): [string, string] => ['dailyMetrics', metric]),
      ...dateParameters('dailyRange.startDate', from),
      ...dateParameters('dailyRange.endDate', to),
    ]);
    const response = await this.http.request({
      url: `${this.settings.apiBaseUrl.replace(/\/$/, '')}/v1/locations/${locationId}:fetchMultiDailyMetricsTimeSeries?${query}`,
      headers: { authorization: `Bearer ${await this.accessToken()}`, accept: 'application/json' },
      acceptStatuses: [400, 401, 403, 404],
    });
    if (response.status >= 400) {
      const cause = describeGoogleApiError(response.text) ?? `HTTP ${response.status}`;
      if (response.status === 401) throw new FatalError(`Google rejected the OAuth credentials (${cause}) — reconnect under Settings → Integrations → Google Business Profile`, { status: 401 });
      if (response.status === 403 || response.status === 404) {
        throw new FatalError(`Google refused location ${locationId} (${cause}) — the connected Google account must manage it, and the project needs Business Profile API access`, { status: response.status });
      }
      throw new FatalError(`Google rejected the metrics request for location ${locationId} (${cause})`, { status: response.status });
    }
    const json = readJsonPayload({ body: response.text, name: `location ${locationId}` });
    if (!json.ok) throw new FatalError(`Google answered location ${locationId} with something that is not JSON`);
    return json.value;
  }
}
