import { FatalError, HttpStatusError, readJsonPayload, type HttpClient } from '@sourceline/sdk';
import { z } from 'zod';
import type { MetaLeadAdsSettings } from './settings.ts';

/** The lead fields requested everywhere (§7.3); the version-dependent ones come back absent on older versions. */
export const leadFields = 'id,created_time,ad_id,ad_name,adset_id,adset_name,campaign_id,campaign_name,form_id,field_data,is_organic,platform';

/** A Graph collection page: `{ data, paging: { cursors: { after }, next } }`; `next` is absent on the last page. */
export const GraphPage = z.object({
  data: z.array(z.unknown()),
  paging: z.object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() }).optional(),
});
export type GraphPage = z.infer<typeof GraphPage>;

const GraphError = z.object({ error: z.object({ message: z.string(), code: z.number(), type: z.string().optional() }) });
const Page = z.object({ id: z.string(), name: z.string() });

/** The Graph API calls the connector makes, with Graph's error codes turned into messages a person can act on. */
export class MetaGraphClient {
  constructor(private readonly http: HttpClient, private readonly settings: MetaLeadAdsSettings) {}

  /** One lead by its leadgen id, as JSON. */
  async lead(leadgenId: string): Promise<unknown> {
    return this.getJson(`/${leadgenId}`, { fields: leadFields });
  }

  async pageName(): Promise<string> {
    const page = Page.safeParse(await this.getJson(`/${this.settings.pageId}`, { fields: 'id,name' }));
    if (!page.success) throw new FatalError(`Meta answered for Page ${this.settings.pageId} with something unexpected`);
    return page.data.name;
  }

  /** The Page's lead forms (their ids). */
  async formIds(): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await this.page(`/${this.settings.pageId}/leadgen_forms`, { fields: 'id,name,status', limit: 100, ...(after ? { after } : {}) });
      for (const form of page.data) if (typeof form === 'object' && form !== null && 'id' in form) ids.push(String(form.id));
      after = page.paging?.next ? page.paging.cursors?.after : undefined;
    } while (after);
    return ids;
  }

  /** One page of a form's leads created after `sinceUnix`. */
  async formLeads(formId: string, sinceUnix: number, after: string | undefined): Promise<GraphPage> {
    return this.page(`/${formId}/leads`, {
      fields: leadFields,
      filtering: JSON.stringify([{ field: 'time_created', operator: 'GREATER_THAN', value: sinceUnix }]),
      limit: 100,
      ...(after ? { after } : {}),
    });
  }

  private async page(path: string, query: Record<string, string | number>): Promise<GraphPage> {
    const page = GraphPage.safeParse(await this.getJson(path, query));
    if (!page.success) throw new FatalError(`Meta sent an unexpected page for ${path}`);
    return page.data;
  }

  private async getJson(path: string, query: Record<string, string | number>): Promise<unknown> {
    const url = `${this.settings.graphBaseUrl.replace(/\/$/, '')}/${this.settings.graphVersion}${path}`;
    const response = await this.http.request({
      url, query, headers: { authorization: `Bearer ${this.settings.pageAccessToken}` }, acceptStatuses: [400, 401, 403, 404],
    });
    const json = readJsonPayload({ body: response.text, name: path });
    if (response.status >= 400) throw graphFailure(response.status, json.ok ? json.value : undefined, path);
    if (!json.ok) throw new FatalError(`Meta answered ${path} with something that is not JSON`);
    return json.value;
  }
}

/**
 * Graph reports errors as HTTP 400 with a code: 190 an expired or invalid token, 10/200 a missing permission. Those
 * two carry 401 and 403, what they mean, so the platform flags the connection for reconnecting.
 */
function graphFailure(status: number, body: unknown, path: string): Error {
  const error = GraphError.safeParse(body);
  const code = error.success ? error.data.error.code : undefined;
  if (code === 190) return new FatalError(`Meta rejected the Page access token (code 190) — reconnect the Page under Settings → Integrations → Meta Lead Ads`, { status: 401 });
  if (code === 10 || code === 200) return new FatalError(`The Page access token lacks a permission (code ${code}): it needs leads_retrieval and pages_manage_ads`, { status: 403 });
  if (code === 100) return new FatalError(`Meta does not know ${path} (code 100): check the Page and form ids, or the lead is older than Meta keeps`, { status });
  return new HttpStatusError(status, path, error.success ? `code ${code}` : '');
}
