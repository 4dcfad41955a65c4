import { accessTokenSource, describeGoogleApiError, FatalError, readJsonPayload, type HttpClient } from '@sourceline/sdk';
import { runReportBody } from './report-request.ts';
import type { Ga4Settings } from './settings.ts';

/** The GA4 Data API: `POST /v1beta/properties/{id}:runReport`, paged by `limit`/`offset`. */
export class Ga4DataApiClient {
  private readonly accessToken: () => Promise<string>;

  constructor(private readonly http: HttpClient, private readonly settings: Ga4Settings) {
    this.accessToken = accessTokenSource(http, {
      tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, refreshToken: settings.refreshToken,
    }, 'Google');
  }

  async runReport(from: string, to: string, offset: number): Promise<unknown> {
    const { propertyId } = this.settings;
    const response = await this.http.request({
      url: `${this.settings.apiBaseUrl.replace(/\/$/, '')}/v1beta/properties/${propertyId}:runReport`,
      method: 'POST',
      headers: { authorization: `Bearer ${await this.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify(runReportBody(from, to, { limit: this.settings.pageSize, offset })),
      acceptStatuses: [400, 401, 403, 404],
    });
    if (response.status >= 400) {
      const cause = describeGoogleApiError(response.text) ?? `HTTP ${response.status}`;
      if (response.status === 401) throw new FatalError(`Google rejected the OAuth credentials (${cause}) — reconnect under Settings → Integrations → Google Analytics 4`, { status: 401 });
      if (response.status === 403 || response.status === 404) {
        throw new FatalError(`Google refused property ${propertyId} (${cause}) — check the property id (numeric, not G-…) and that the account can read it`, { status: response.status });
      }
      throw new FatalError(`GA4 rejected the report request for property ${propertyId} (${cause})`, { status: response.status });
    }
    const json = readJsonPayload({ body: response.text, name: `property ${propertyId} report` });
    if (!json.ok) throw new FatalError(`GA4 answered property ${propertyId} with something that is not JSON`);
    return json.value;
  }
}
