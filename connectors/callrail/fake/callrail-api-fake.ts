import { generateWorld, startFakeHttpServer, type DemoPractice, type DemoWorld, type FakeFaults, type FakeHttpServer, type FakeRequest, type FakeResponse } from '@sourceline/sdk/testkit';
import { buildWorldCalls, type WorldCall } from './world-calls.ts';

export interface CallRailFakeOptions {
  world?: DemoWorld;
  practiceIndex?: number;
  seed?: number;
  apiKey?: string;
  accountId?: string;
  companyId?: string;
  signingKey?: string;
  host?: string;
  port?: number;
  faults?: Partial<FakeFaults>;
}

export interface CallRailFake {
  /** `http://127.0.0.1:PORT/v3`: the `baseUrl` setting. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly accountId: string;
  readonly companyId: string;
  readonly signingKey: string;
  readonly practice: DemoPractice;
  /** The company's calls, time ordered; tests add or edit calls through it. */
  readonly calls: WorldCall[];
  readonly server: FakeHttpServer;
  close(): Promise<void>;
}

/** The call fields CallRail lists without `fields=` (§2.6). */
const basicFields = new Set([
  'answered', 'business_phone_number', 'customer_city', 'customer_country', 'customer_name', 'customer_phone_number', 'customer_state',
  'direction', 'duration', 'id', 'recording', 'recording_duration', 'recording_player', 'start_time', 'tracking_phone_number', 'voicemail',
  'agent_email',
]);
/** CallRail refuses these in `fields=` (§2.6, secondary). */
const unrequestable = new Set(['integration_data', 'lead_score_explanation']);

const denied: FakeResponse = { status: 401, body: { error: 'HTTP Token: Access denied.' } };

/**
 * A CallRail REST v3 fake on loopback serving a demo practice's calls: `Token token="…"` auth, `/a.json`, and
 * `/a/{account}/calls.json` with offset pages (`page`, `per_page` ≤ 250), `start_date`/`end_date` (date or datetime),
 * `company_id`, `sort`/`order` (newest first unless asked), and the basic field set unless `fields=` names more.
 */
export async function startCallRailFake(options: CallRailFakeOptions = {}): Promise<CallRailFake> {
  const world = options.world ?? generateWorld({
    seed: options.seed ?? 3,
    practices: [{ name: 'Bayside Smiles Dental', timeZone: 'America/Chicago', locations: 1, patients: 300, months: 4 }],
  });
  const practice = world.practices[options.practiceIndex ?? 0];
  if (!practice) throw new RangeError('the world has no practice at that index');
  const apiKey = options.apiKey ?? 'fake-callrail-api-key';
  const accountId = options.accountId ?? 'ACC0000000000000000000000000000fake';
  const companyId = options.companyId ?? 'COM0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  const calls = buildWorldCalls(practice, { id: companyId, name: practice.name });

  const handle = (request: FakeRequest): FakeResponse => {
    const token = /^Token token="?([^"]+)"?$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== apiKey) return denied;
    const path = request.url.pathname;
    if (path === '/v3/a.json') {
      return { status: 200, body: { page: 1, per_page: 100, total_pages: 1, total_records: 1, accounts: [{ id: accountId, name: `${practice.name} (agency)`, hipaa_account: true }] } };
    }
    const listing = /^\/v3\/a\/([^/]+)\/calls\.json$/.exec(path);
    if (!listing) return { status: 404, body: { error: 'Not found' } };
    if (decodeURIComponent(listing[1]!) !== accountId) return { status: 404, body: { error: 'Account not found' } };
    return listCalls(request.url.searchParams, calls, companyId);
  };

  const server = await startFakeHttpServer(handle, { host: options.host, port: options.port, faults: options.faults });
  return {
    baseUrl: `${server.origin}/v3`, apiKey, accountId, companyId, signingKey: options.signingKey ?? 'fake-callrail-signing-key-0000', practice, calls, server,
    close: () => server.close(),
  };
}

function listCalls(query: URLSearchParams, calls: readonly WorldCall[], companyId: string): FakeResponse {
  const perPage = Math.min(Number(query.get('per_page') ?? 100) || 100, 250);
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const from = boundOf(query.get('start_date'), 'start');
  const to = boundOf(query.get('end_date'), 'end');
  if (from === null || to === null) return { status: 400, body: { error: 'Invalid date' } };
  const requested = new Set((query.get('fields') ?? '').split(',').map((f) => f.trim()).filter(Boolean));
  const refused = [...requested].find((field) => unrequestable.has(field));
  if (refused) return { status: 400, body: { error: `Invalid field: ${refused}` } };
  const company = query.get('company_id');
  const matching = calls
    .filter((c) => (company === null || company === companyId) && (from === undefined || c.startMs >= from) && (to === undefined || c.startMs <= to))
    .sort((a, b) => (query.get('order') === 'asc' ? a.startMs - b.startMs : b.startMs - a.startMs));
  const slice = matching.slice((page - 1) * perPage, page * perPage);
  return {
    status: 200,
    body: {
      page, per_page: perPage, total_pages: Math.max(1, Math.ceil(matching.length / perPage)), total_records: matching.length,
      calls: slice.map((c) => Object.fromEntries(Object.entries(c.call).filter(([field]) => basicFields.has(field) || requested.has(field)))),
    },
  };
}

/** A `start_date`/`end_date`: a date means that whole day (UTC here); a datetime is exact. undefined: absent; null: invalid. */
function boundOf(value: string | null, edge: 'start' | 'end'): number | undefined | null {
  if (value === null) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
