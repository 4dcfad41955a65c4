import { accessTokenSource, FatalError, issuesFromZod, readJsonPayload, type HttpClient } from '@sourceline/sdk';
import { z } from 'zod';
import { SearchResponse } from './gaql-rows.ts';
import type { GoogleAdsSettings } from './settings.ts';

const GoogleError = z.object({
  error: z.object({
    code: z.number(),
    message: z.string(),
    status: z.string().optional(),
    details: z.array(z.object({ errors: z.array(z.object({ message: z.string().optional(), errorCode: z.record(z.string(), z.string()).optional() })).optional() }).loose()).optional(),
  }),
});

const CustomerRow = z.object({
  customer: z.object({ id: z.string(), descriptiveName: z.string().optional(), timeZone: z.string(), currencyCode: z.string() }),
});
export type CustomerInfo = z.infer<typeof CustomerRow>['customer'];

/**
 * Google Ads over REST: `POST /{version}/customers/{id}/googleAds:search` with a GAQL query, paged by `nextPageToken`,
 * authenticated with an OAuth access token plus the `developer-token` (and `login-customer-id` through a manager).
 */
export class GoogleAdsClient {
  private readonly accessToken: () => Promise<string>;

  constructor(private readonly http: HttpClient, private readonly settings: GoogleAdsSettings) {
    this.accessToken = accessTokenSource(http, {
      tokenUrl: settings.tokenUrl, clientId: settings.clientId, clientSecret: settings.clientSecret, refreshToken: settings.refreshToken,
    }, 'Google');
  }

  /** Every page of a query's results, one page at a time (a page is committed before the next is requested). */
  async *searchPages(query: string): AsyncGenerator<SearchResponse> {
    let pageToken: string | undefined;
    do {
      const page = await this.searchOnce(query, pageToken);
      yield page;
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
  }

  /** The account's name, zone and currency: dates, call times and costs are in them. */
  async customer(): Promise<CustomerInfo> {
    for await (const page of this.searchPages('SELECT customer.id, customer.descriptive_name, customer.time_zone, customer.currency_code FROM customer')) {
      const row = CustomerRow.safeParse(page.results[0]);
      if (row.success) return row.data.customer;
    }
    throw new FatalError(`Google Ads returned no customer row for ${this.settings.customerId}`);
  }

  private async searchOnce(query: string, pageToken: string | undefined): Promise<SearchResponse> {
    const response = await this.http.request({
      url: `${this.settings.apiBaseUrl.replace(/\/$/, '')}/${this.settings.apiVersion}/customers/${this.settings.customerId}/googleAds:search`,
      method: 'POST',
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        'developer-token': this.settings.developerToken,
        'content-type': 'application/json',
        ...(this.settings.loginCustomerId ? { 'login-customer-id': this.settings.loginCustomerId } : {}),
      },
      body: JSON.stringify({ query, ...(pageToken ? { pageToken } : {}) }),
      acceptStatuses: [400, 401, 403, 404],
    });
    const json = readJsonPayload({ body: response.text, name: 'googleAds:search' });
    if (response.status >= 400) throw this.failure(response.status, json.ok ? json.value : undefined);
    const page = json.ok ? SearchResponse.safeParse(json.value) : undefined;
    if (!page?.success) {
      const detail = page ? issuesFromZod(page.error, 'page')[0]?.field : '(body)';
      throw new FatalError(`Google Ads sent an unexpected search page (${detail})`);
    }
    return page.data;
  }

  /** Google's errors name a cause (`authorizationError: DEVELOPER_TOKEN_NOT_APPROVED`): say what to fix. */
  private failure(status: number, body: unknown): FatalError {
    const parsed = GoogleError.safeParse(body);
    const first = parsed.success ? parsed.data.error.details?.flatMap((d) => d.errors ?? [])[0] : undefined;
    const code = first?.errorCode ? Object.entries(first.errorCode).map(([k, v]) => `${k}: ${v}`)[0] : parsed.success ? parsed.data.error.status : undefined;
    const cause = code ? ` (${code})` : '';
    if (status === 401) return new FatalError(`Google Ads rejected the OAuth credentials${cause} — reconnect the account under Settings → Integrations → Google Ads`, { status });
    if (status === 403) {
      return new FatalError(`Google Ads refused access to customer ${this.settings.customerId}${cause} — check the developer token, the customer id and the manager (login-customer-id)`, { status });
    }
    return new FatalError(`Google Ads rejected a query (${status})${cause}: ${parsed.success ? parsed.data.error.message : 'no details'}`, { status });
  }
}
