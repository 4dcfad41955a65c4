import { addDaysToDate, localDateTimeToEpochMs } from '@sourceline/sdk';
import {
  answerTokenRequest, generateWorld, hasBearer, startFakeHttpServer, type DemoPractice, type DemoWorld, type FakeFaults, type FakeHttpServer,
  type FakeOAuthClient, type FakeRequest, type FakeResponse,
} from '@sourceline/sdk/testkit';
import { fakeResources, type FlatRow } from './account-rows.ts';
import { clickConversionUploads, type FakeUploadedConversion } from './click-conversion-uploads.ts';
import { failure } from './google-ads-failure.ts';
import { jsonPathOf, meets, parseGaql, type GaqlQuery } from './gaql.ts';
import { buildFakeAdsAccount, type FakeAdsAccount } from './world-account.ts';

export interface GoogleAdsFakeOptions {
  world?: DemoWorld;
  practiceIndex?: number;
  seed?: number;
  oauth?: Partial<FakeOAuthClient>;
  developerToken?: string;
  /** The fake's today (YYYY-MM-DD), for click_view's 90-day limit. Default: the day after the world's asOf. */
  today?: string;
  /** Rows per search page (Google's is 10,000). */
  pageSize?: number;
  host?: string;
  port?: number;
  faults?: Partial<FakeFaults>;
  /** Clicks the account knows beyond the world's (a test's own leads' click ids), with when each happened. */
  clicks?: readonly { clickId: string; clickedAt: string }[];
}

export interface GoogleAdsFake {
  /** `http://127.0.0.1:PORT`: the `apiBaseUrl` setting; the token endpoint is `${origin}/token`. */
  readonly apiBaseUrl: string;
  readonly tokenUrl: string;
  readonly oauth: FakeOAuthClient;
  readonly developerToken: string;
  readonly account: FakeAdsAccount;
  readonly practice: DemoPractice;
  /** Every GAQL query received, for assertions on what the connector asked. */
  readonly queries: string[];
  /** Conversions uploaded and kept (one per order id, or per click and time, per action), and every upload body sent. */
  readonly conversions: { readonly uploaded: FakeUploadedConversion[]; readonly requests: unknown[] };
  readonly server: FakeHttpServer;
  close(): Promise<void>;
}

const clickViewMaxDaysBack = 90;

/**
 * A Google Ads API fake on loopback for one demo practice: an OAuth token endpoint (`/token`, refresh-token grant),
 * `POST /{version}/customers/{id}/googleAds:search` running GAQL over the account — field selection with camelCase
 * nesting and int64s as strings, WHERE filters (=, comparisons, BETWEEN), `nextPageToken` paging, unset and zero
 * values omitted, and Google's rules: click_view filtered to one day within the last 90, developer token and customer
 * access checked, errors as GoogleAdsFailure — and `POST /{version}/customers/{id}:uploadClickConversions` keeping
 * the conversions it accepts (see `clickConversionUploads`).
 */
export async function startGoogleAdsFake(options: GoogleAdsFakeOptions = {}): Promise<GoogleAdsFake> {
  const world = options.world ?? generateWorld({
    seed: options.seed ?? 17,
    practices: [{ name: 'Bayside Smiles Dental', timeZone: 'America/Chicago', locations: 1, patients: 300, months: 4 }],
  });
  const practice = world.practices[options.practiceIndex ?? 0];
  if (!practice) throw new RangeError('the world has no practice at that index');
  const account = buildFakeAdsAccount(practice);
  const resources = fakeResources(account);
  const oauth: FakeOAuthClient = { clientId: 'fake-client-id', clientSecret: 'fake-client-secret', refreshToken: 'fake-refresh-token', accessToken: 'fake-access-token', ...options.oauth };
  const developerToken = options.developerToken ?? 'fake-developer-token';
  const today = options.today ?? addDaysToDate(world.asOf, 1);
  const pageSize = options.pageSize ?? 10_000;
  const queries: string[] = [];
  const conversions = clickConversionUploads(account, knownClicks(account, practice, options.clicks ?? []));

  const refusal = (request: FakeRequest, customerId: string): FakeResponse | null => {
    if (!hasBearer(request, oauth.accessToken)) return failure(401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_INVALID' }, 'Request is missing required authentication credential.');
    if (request.headers['developer-token'] !== developerToken) return failure(403, 'PERMISSION_DENIED', { authorizationError: 'DEVELOPER_TOKEN_NOT_APPROVED' }, 'The developer token is not approved.');
    if (customerId !== account.customer.id) return failure(403, 'PERMISSION_DENIED', { authorizationError: 'USER_PERMISSION_DENIED' }, "User doesn't have permission to access customer.");
    return null;
  };

  const search = (request: FakeRequest): FakeResponse => {
    let body: { query?: unknown; pageToken?: unknown };
    try {
      body = JSON.parse(request.body) as typeof body;
    } catch {
      return failure(400, 'INVALID_ARGUMENT', { requestError: 'INVALID_INPUT' }, 'Invalid JSON payload received.');
    }
    if (typeof body.query !== 'string') return failure(400, 'INVALID_ARGUMENT', { queryError: 'QUERY_ERROR' }, 'A query is required.');
    queries.push(body.query);
    const parsed = parseGaql(body.query);
    if ('error' in parsed) return failure(400, 'INVALID_ARGUMENT', { queryError: 'UNEXPECTED_INPUT' }, parsed.error);
    const resource = resources[parsed.resource];
    if (!resource) return failure(400, 'INVALID_ARGUMENT', { queryError: 'INVALID_RESOURCE_NAME' }, `Unrecognized resource '${parsed.resource}'.`);
    const unknown = [...parsed.fields, ...parsed.conditions.map((c) => c.field)].find((f) => !resource.fields.includes(f));
    if (unknown) return failure(400, 'INVALID_ARGUMENT', { queryError: 'UNRECOGNIZED_FIELD' }, `Unrecognized field in the query: '${unknown}'.`);
    if (parsed.resource === 'click_view') {
      const problem = clickViewProblem(parsed, today);
      if (problem) return failure(400, 'INVALID_ARGUMENT', { queryError: problem.code }, problem.message);
    }
    const daily = [...parsed.fields, ...parsed.conditions.map((c) => c.field)].some((f) => f.startsWith('metrics.') || f === 'segments.date');
    const rows = resource.rows({ daily }).filter((row) => parsed.conditions.every((c) => meets(row[c.field], c)));
    const offset = typeof body.pageToken === 'string' && body.pageToken ? Number(Buffer.from(body.pageToken, 'base64url').toString()) : 0;
    const page = rows.slice(offset, offset + pageSize);
    const more = offset + page.length < rows.length;
    return {
      status: 200,
      body: {
        results: page.map((row) => select(row, parsed.fields)),
        fieldMask: parsed.fields.map((f) => jsonPathOf(f).join('.')).join(','),
        ...(more ? { nextPageToken: Buffer.from(String(offset + page.length)).toString('base64url') } : {}),
      },
    };
  };

  const handle = (request: FakeRequest): FakeResponse => {
    if (request.url.pathname === '/token') return answerTokenRequest(request, oauth);
    const route = /^\/(v\d+)\/customers\/(\d+)(\/googleAds:search|:uploadClickConversions)$/.exec(request.url.pathname);
    if (request.method !== 'POST' || !route) return { status: 404, body: { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } } };
    const refused = refusal(request, route[2]!);
    if (refused) return refused;
    return route[3] === ':uploadClickConversions' ? conversions.handle(request, route[1]!) : search(request);
  };

  const server = await startFakeHttpServer(handle, { host: options.host, port: options.port, faults: options.faults });
  return {
    apiBaseUrl: server.origin, tokenUrl: `${server.origin}/token`, oauth, developerToken, account, practice, queries,
    conversions: { uploaded: conversions.uploaded, requests: conversions.requests }, server, close: () => server.close(),
  };
}

/**
 * When each click the account knows happened: a world lead's click when its lead came in, an anonymous click at the
 * start of its day in the account's zone (click_view reports days), and the extra clicks as given.
 */
function knownClicks(account: FakeAdsAccount, practice: DemoPractice, extra: readonly { clickId: string; clickedAt: string }[]): Map<string, number> {
  const leadTimes = new Map(practice.leads.map((l) => [l.id, Date.parse(l.occurredAt)]));
  const clicks = new Map<string, number>();
  for (const c of account.clicks) {
    clicks.set(c.gclid, (c.demoLeadId ? leadTimes.get(c.demoLeadId) : undefined) ?? localDateTimeToEpochMs(`${c.date} 00:00:00`, account.customer.timeZone));
  }
  for (const c of extra) clicks.set(c.clickId, Date.parse(c.clickedAt));
  return clicks;
}

/** click_view queries must pin exactly one day, no further back than 90 days. */
function clickViewProblem(query: GaqlQuery, today: string): { code: string; message: string } | undefined {
  const dates = query.conditions.filter((c) => c.field === 'segments.date');
  const equal = dates.find((c) => c.operator === '=');
  const low = dates.find((c) => c.operator === '>=');
  const high = dates.find((c) => c.operator === '<=');
  const day = equal?.value ?? (low && high && low.value === high.value ? low.value : undefined);
  if (!day) return { code: 'EXPECTED_FILTERS_ON_DATE_RANGE', message: 'A query on click_view must filter segments.date to a single day.' };
  if (day < addDaysToDate(today, -clickViewMaxDaysBack)) return { code: 'DATE_RANGE_TOO_WIDE', message: 'click_view data is available for the last 90 days only.' };
  return undefined;
}

/** Nests the selected fields by resource in camelCase; unset values and zero metrics are omitted, as proto3 JSON does. */
function select(row: FlatRow, fields: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const value = row[field];
    if (value === undefined || (field.startsWith('metrics.') && (value === 0 || value === '0'))) continue;
    const path = jsonPathOf(field);
    let node = result;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    // int64 metrics travel as strings in Google's JSON.
    node[path.at(-1)!] = field.startsWith('metrics.') ? String(value) : value;
  }
  return result;
}
