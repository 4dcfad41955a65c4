import { accessTokenSource, FatalError, issuesFromZod, readJsonPayload, type HttpClient } from '@sourceline/sdk';
import { z } from 'zod';
import type { UploadClickConversionsRequest } from './conversions/upload-click-conversions.ts';
import { readUploadClickConversionsResponse, type ClickConversionUploadResult } from './conversions/upload-click-conversions-response.ts';
import { SearchResponse } from './gaql-rows.ts';
import { googleAdsHeaders } from './request-headers.ts';
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

const conversionActionFields = [
  'conversion_action.id', 'conversion_action.name', 'conversion_action.type', 'conversion_action.status',
  'conversion_action.attribution_model_settings.attribution_model', 'conversion_action.click_through_lookback_window_days',
];
const ConversionActionRow = z.object({
  conversionAction: z.object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    status: z.string(),
    attributionModelSettings: z.object({ attributionModel: z.string() }).optional(),
    // int64 as a string, omitted when unset: readers then assume Google's 90-day maximum rather than drop conversions.
    clickThroughLookbackWindowDays: z.string().regex(/^\d+$/).optional(),
  }),
});
export type ConversionActionInfo = z.infer<typeof ConversionActionRow>['conversionAction'];

/**
 * Google Ads over REST: `POST /{version}/customers/{id}/googleAds:search` with a GAQL query, paged by `nextPageToken`,
 * and `:uploadClickConversions`, authenticated with an OAuth access token plus the `developer-token` (and
 * `login-customer-id` through a manager).
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
    const json = await this.post({
      url: `${this.settings.apiBaseUrl.replace(/\/$/, '')}/${this.settings.apiVersion}/customers/${this.settings.customerId}/googleAds:search`,
      headers: googleAdsHeaders(this.settings),
      body: { query, ...(pageToken ? { pageToken } : {}) },
    }, 'googleAds:search');
    const page = SearchResponse.safeParse(json);
    if (!page.success) throw new FatalError(`Google Ads sent an unexpected search page (${issuesFromZod(page.error, 'page')[0]?.field})`);
    return page.data;
  }

  /**
   * The conversion action an upload reports to: its type (offline uploads need UPLOAD_CLICKS), status, attribution
   * model (EXTERNAL takes Sourceline's credit and refuses order ids) and click-through window. Null when the account
   * has no action with that id.
   */
  async conversionAction(id: string): Promise<ConversionActionInfo | null> {
    if (!/^\d+$/.test(id)) throw new RangeError('a conversion action id is a number');
    const query = `SELECT ${conversionActionFields.join(', ')} FROM conversion_action WHERE conversion_action.id = ${id}`;
    for await (const page of this.searchPages(query)) {
      const row = ConversionActionRow.safeParse(page.results[0]);
      if (row.success) return row.data.conversionAction;
      if (page.results.length) throw new FatalError(`Google Ads sent an unexpected conversion action row for ${id}`);
    }
    return null;
  }

  /**
   * Sends one UploadClickConversions request (built by `buildUploadClickConversionsRequest`) and reads Google's verdict
   * on each conversion. Safe to retry: Google keeps one conversion per order id (or per click and time, for
   * externally attributed actions) and answers the repeats as duplicates, so the HTTP client's retries of a 5xx
   * cannot count a conversion twice.
   */
  async uploadClickConversions(request: UploadClickConversionsRequest): Promise<ClickConversionUploadResult> {
    const json = await this.post({ url: request.url, headers: request.headers, body: request.body }, 'uploadClickConversions');
    return readUploadClickConversionsResponse(json, request.body.conversions.length, { validateOnly: request.body.validateOnly });
  }

  /** POSTs JSON with the OAuth bearer token; Google's refusals become errors that say what to fix. */
  private async post(request: { url: string; headers: Record<string, string>; body: unknown }, name: string): Promise<unknown> {
    const response = await this.http.request({
      url: request.url,
      method: 'POST',
      headers: { ...request.headers, authorization: `Bearer ${await this.accessToken()}` },
      body: JSON.stringify(request.body),
      acceptStatuses: [400, 401, 403, 404],
    });
    const json = readJsonPayload({ body: response.text, name });
    if (response.status >= 400) throw this.failure(response.status, json.ok ? json.value : undefined);
    if (!json.ok) throw new FatalError(`Google Ads sent a ${name} answer that is not JSON`);
    return json.value;
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
    return new FatalError(`Google Ads rejected a request (${status})${cause}: ${parsed.success ? parsed.data.error.message : 'no details'}`, { status });
  }
}
