import { FatalError, HttpStatusError, issuesFromZod, readJsonPayload, type HttpClient, type ParseIssue } from '@sourceline/sdk';
import { z } from 'zod';
import type { CallRailSettings } from './settings.ts';

/**
 * Without `fields=` CallRail lists only the basic call fields; the attribution ones must be asked for by name (§2.6).
 * `integration_data` cannot be requested this way.
 */
export const callAttributionFields = [
  'call_type', 'company_id', 'company_name', 'company_time_zone', 'created_at', 'device_type', 'first_call', 'prior_calls', 'total_calls',
  'source', 'source_name', 'formatted_tracking_source', 'medium', 'campaign', 'keywords', 'gclid', 'fbclid', 'msclkid', 'ga',
  'landing_page_url', 'last_requested_url', 'referring_url', 'referrer_domain', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
  'utm_content', 'lead_status', 'value', 'tags', 'note', 'tracker_id', 'person_id', 'milestones', 'timeline_url',
] as const;

/** An offset-paginated calls listing: `{ page, per_page, total_pages, total_records, calls }`. */
export const CallsPage = z.object({
  page: z.number().int(),
  per_page: z.number().int(),
  total_pages: z.number().int(),
  total_records: z.number().int(),
  calls: z.array(z.unknown()),
});
export type CallsPage = z.infer<typeof CallsPage>;

const AccountsPage = z.object({ total_records: z.number().int(), accounts: z.array(z.object({ id: z.string(), name: z.string() })) });

export function readCallsPage(body: string, name: string): { page: CallsPage } | { issues: ParseIssue[] } {
  const json = readJsonPayload({ body, name });
  if (!json.ok) return { issues: [json.issue] };
  const page = CallsPage.safeParse(json.value);
  return page.success ? { page: page.data } : { issues: issuesFromZod(page.error, name) };
}

/** CallRail REST v3, read-only: the calls listing for the backfill and the accounts listing for "Test connection". */
export class CallRailClient {
  constructor(private readonly http: HttpClient, private readonly settings: CallRailSettings) {}

  async listCalls(query: { startDate: string; page: number }): Promise<CallsPage> {
    const text = await this.get(`/a/${encodeURIComponent(this.settings.accountId)}/calls.json`, {
      start_date: query.startDate,
      page: query.page,
      per_page: this.settings.pageSize,
      sort: 'start_time',
      order: 'asc',
      fields: callAttributionFields.join(','),
      ...(this.settings.companyId ? { company_id: this.settings.companyId } : {}),
    });
    const read = readCallsPage(text, `calls page ${query.page}`);
    if ('issues' in read) throw new FatalError(`CallRail sent an unexpected calls page ${query.page} (${read.issues[0]!.field}: ${read.issues[0]!.message})`);
    return read.page;
  }

  async accountName(): Promise<string> {
    const json = readJsonPayload({ body: await this.get('/a.json', {}), name: 'accounts' });
    const accounts = json.ok ? AccountsPage.safeParse(json.value) : undefined;
    if (!accounts?.success) throw new FatalError('CallRail answered the accounts listing with something unexpected');
    const account = accounts.data.accounts.find((a) => a.id === this.settings.accountId);
    if (!account) throw new FatalError(`This CallRail API key cannot see account ${this.settings.accountId} — check the account id, or use a key of a user on that account`);
    return account.name;
  }

  private async get(path: string, query: Record<string, string | number>): Promise<string> {
    try {
      const response = await this.http.request({
        url: `${this.settings.baseUrl.replace(/\/$/, '')}${path}`,
        query,
        headers: { authorization: `Token token="${this.settings.apiKey}"`, accept: 'application/json' },
      });
      return response.text;
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 403)) {
        throw new FatalError(`CallRail rejected the API key (${error.status}) — check Settings → Integrations → CallRail`, { status: error.status, cause: error });
      }
      throw error;
    }
  }
}
