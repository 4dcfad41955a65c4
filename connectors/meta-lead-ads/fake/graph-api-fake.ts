import { generateWorld, startFakeHttpServer, type DemoWorld, type FakeFaults, type FakeHttpServer, type FakeRequest, type FakeResponse } from '@sourceline/sdk/testkit';
import { buildWorldMetaPage, type WorldMetaLead, type WorldMetaPage } from './world-leads.ts';

export interface MetaGraphFakeOptions {
  world?: DemoWorld;
  practiceIndex?: number;
  seed?: number;
  accessToken?: string;
  appSecret?: string;
  verifyToken?: string;
  /** Leads per page of `/{form}/leads` when the request does not say (Graph's default is 25). */
  defaultLimit?: number;
  host?: string;
  port?: number;
  faults?: Partial<FakeFaults>;
}

export interface MetaGraphFake {
  /** `http://127.0.0.1:PORT`: the `graphBaseUrl` setting. */
  readonly graphBaseUrl: string;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly page: WorldMetaPage;
  readonly server: FakeHttpServer;
  close(): Promise<void>;
}

const graphError = (code: number, message: string, type = 'GraphMethodException'): FakeResponse => ({
  status: 400, body: { error: { message, type, code, fbtrace_id: 'AFakeTraceId0' } },
});

/**
 * A Meta Graph API fake on loopback for one demo Page: `/{version}/{page}` (name), `/{page}/leadgen_forms`,
 * `/{form}/leads` with `filtering` on `time_created`, `limit` and `after` cursors, and `/{leadgen_id}` with `fields`.
 * Errors are Graph's: HTTP 400 with code 190 (bad token) or 100 (unknown object).
 */
export async function startMetaGraphFake(options: MetaGraphFakeOptions = {}): Promise<MetaGraphFake> {
  const world = options.world ?? generateWorld({
    seed: options.seed ?? 11,
    practices: [{ name: 'Bayside Smiles Dental', timeZone: 'America/Chicago', locations: 1, patients: 400, months: 4 }],
  });
  const practice = world.practices[options.practiceIndex ?? 0];
  if (!practice) throw new RangeError('the world has no practice at that index');
  const page = buildWorldMetaPage(practice);
  const accessToken = options.accessToken ?? 'fake-page-access-token';
  const leadsById = new Map(page.leads.map((lead) => [lead.graph.id, lead]));

  const handle = (request: FakeRequest): FakeResponse => {
    const token = request.url.searchParams.get('access_token') ?? /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== accessToken) return graphError(190, 'Invalid OAuth access token - Cannot parse access token', 'OAuthException');
    const match = /^\/v\d+\.\d+\/(\d+)(?:\/(leadgen_forms|leads))?$/.exec(request.url.pathname);
    if (!match) return graphError(100, `Unknown path components: ${request.url.pathname}`, 'OAuthException');
    const [, objectId, edge] = match as unknown as [string, string, string | undefined];
    const query = request.url.searchParams;
    if (objectId === page.pageId && edge === undefined) return { status: 200, body: { id: page.pageId, name: page.pageName } };
    if (objectId === page.pageId && edge === 'leadgen_forms') {
      return { status: 200, body: { data: page.forms.map((f) => ({ ...f, status: 'ACTIVE' })), paging: { cursors: { before: 'MA', after: 'MA' } } } };
    }
    if (edge === 'leads' && page.forms.some((f) => f.id === objectId)) return formLeads(request, objectId, page.leads, options.defaultLimit ?? 25);
    const lead = edge === undefined ? leadsById.get(objectId) : undefined;
    if (!lead) return graphError(100, `Unsupported get request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`);
    return { status: 200, body: selectFields(lead, query.get('fields')) };
  };

  const server = await startFakeHttpServer(handle, { host: options.host, port: options.port, faults: options.faults });
  return {
    graphBaseUrl: server.origin, accessToken, appSecret: options.appSecret ?? 'fake-meta-app-secret',
    verifyToken: options.verifyToken ?? 'fake-meta-verify-token', page, server, close: () => server.close(),
  };
}

function selectFields(lead: WorldMetaLead, fields: string | null): Record<string, unknown> {
  const wanted = (fields ?? 'id,created_time').split(',').map((f) => f.trim());
  return Object.fromEntries(Object.entries(lead.graph).filter(([field]) => wanted.includes(field)));
}

function formLeads(request: FakeRequest, formId: string, leads: readonly WorldMetaLead[], defaultLimit: number): FakeResponse {
  const query = request.url.searchParams;
  let since = Number.NEGATIVE_INFINITY;
  const filtering = query.get('filtering');
  if (filtering) {
    try {
      const filters = JSON.parse(filtering) as { field: string; operator: string; value: number }[];
      for (const f of filters) if (f.field === 'time_created' && f.operator === 'GREATER_THAN') since = Number(f.value);
    } catch {
      return graphError(100, '(#100) param filtering must be an array.', 'OAuthException');
    }
  }
  const limit = Math.min(Number(query.get('limit') ?? defaultLimit) || defaultLimit, 100);
  const offset = query.get('after') ? Number(Buffer.from(query.get('after')!, 'base64url').toString()) : 0;
  // Graph lists a form's leads newest first.
  const matching = leads.filter((l) => l.graph.form_id === formId && l.createdUnix > since).sort((a, b) => b.createdUnix - a.createdUnix);
  const slice = matching.slice(offset, offset + limit);
  const after = Buffer.from(String(offset + slice.length)).toString('base64url');
  const more = offset + slice.length < matching.length;
  const next = new URL(request.url.pathname, 'https://graph.facebook.com');
  next.searchParams.set('after', after);
  return {
    status: 200,
    body: {
      data: slice.map((l) => selectFields(l, query.get('fields'))),
      paging: { cursors: { before: Buffer.from(String(offset)).toString('base64url'), after }, ...(more ? { next: next.toString() } : {}) },
    },
  };
}
