import { addDaysToDate, datesBetween } from '@sourceline/sdk';
import {
  answerTokenRequest, generateWorld, hasBearer, startFakeHttpServer, type DemoPractice, type DemoWorld, type FakeFaults, type FakeHttpServer,
  type FakeOAuthClient, type FakeRequest, type FakeResponse,
} from '@sourceline/sdk/testkit';
import { DailyMetric } from '../src/settings.ts';
import { buildWorldListings, type WorldListing } from './world-metrics.ts';

export interface GbpFakeOptions {
  world?: DemoWorld;
  practiceIndex?: number;
  seed?: number;
  oauth?: Partial<FakeOAuthClient>;
  /** Days before the world's "today" for which Google has no data yet. Default 2. */
  dataLagDays?: number;
  host?: string;
  port?: number;
  faults?: Partial<FakeFaults>;
}

export interface GbpFake {
  /** `http://127.0.0.1:PORT`: the `apiBaseUrl` setting; the token endpoint is `${origin}/token`. */
  readonly apiBaseUrl: string;
  readonly tokenUrl: string;
  readonly oauth: FakeOAuthClient;
  readonly listings: WorldListing[];
  readonly practice: DemoPractice;
  readonly server: FakeHttpServer;
  /** Moves the last day Google has published (tests of late data). */
  publishThrough(date: string): void;
  close(): Promise<void>;
}

const googleError = (code: number, status: string, message: string): FakeResponse => ({ status: code, body: { error: { code, message, status } } });

/**
 * A Business Profile Performance API fake on loopback: `GET /v1/locations/{id}:fetchMultiDailyMetricsTimeSeries` with
 * repeated `dailyMetrics` and `dailyRange.{start,end}Date.{year,month,day}`, answering the documented wrapper with
 * int64 values as strings, zero values left out, and no data for the most recent `dataLagDays`.
 */
export async function startGbpFake(options: GbpFakeOptions = {}): Promise<GbpFake> {
  const seed = options.seed ?? 23;
  const world = options.world ?? generateWorld({
    seed, practices: [{ name: 'Bayside Smiles Dental', timeZone: 'America/Chicago', locations: 2, patients: 300, months: 4 }],
  });
  const practice = world.practices[options.practiceIndex ?? 0];
  if (!practice) throw new RangeError('the world has no practice at that index');
  const listings = buildWorldListings(practice, seed);
  const oauth: FakeOAuthClient = { clientId: 'fake-client-id', clientSecret: 'fake-client-secret', refreshToken: 'fake-refresh-token', accessToken: 'fake-gbp-access-token', ...options.oauth };
  let latest = addDaysToDate(world.asOf, -(options.dataLagDays ?? 2));

  const handle = (request: FakeRequest): FakeResponse => {
    if (request.url.pathname === '/token') return answerTokenRequest(request, oauth);
    if (!hasBearer(request, oauth.accessToken)) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const route = /^\/v1\/locations\/(\d+):fetchMultiDailyMetricsTimeSeries$/.exec(request.url.pathname);
    if (request.method !== 'GET' || !route) return googleError(404, 'NOT_FOUND', 'Not found.');
    const listing = listings.find((l) => l.locationId === route[1]);
    if (!listing) return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    const query = request.url.searchParams;
    const metrics = query.getAll('dailyMetrics');
    const unknown = metrics.find((m) => !DailyMetric.safeParse(m).success);
    if (metrics.length === 0 || unknown) return googleError(400, 'INVALID_ARGUMENT', `Invalid value at 'daily_metrics' (${unknown ?? 'none given'})`);
    const from = rangeDate(query, 'dailyRange.startDate');
    const to = rangeDate(query, 'dailyRange.endDate');
    if (!from || !to || from > to) return googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument: dailyRange.');
    const dates = datesBetween(from, to < latest ? to : latest).filter((d) => listing.days.has(d));
    return {
      status: 200,
      body: {
        multiDailyMetricTimeSeries: [{
          dailyMetricTimeSeries: metrics.map((metric) => ({
            dailyMetric: metric,
            timeSeries: {
              datedValues: dates.map((date) => {
                const value = listing.days.get(date)![metric as DailyMetric];
                const [year, month, day] = date.split('-').map(Number);
                return value === 0 ? { date: { year, month, day } } : { date: { year, month, day }, value: String(value) };
              }),
            },
          })),
        }],
      },
    };
  };

  const server = await startFakeHttpServer(handle, { host: options.host, port: options.port, faults: options.faults });
  return {
    apiBaseUrl: server.origin, tokenUrl: `${server.origin}/token`, oauth, listings, practice, server,
    publishThrough(date) {
      latest = date;
    },
    close: () => server.close(),
  };
}

function rangeDate(query: URLSearchParams, prefix: string): string | undefined {
  const [year, month, day] = ['year', 'month', 'day'].map((part) => Number(query.get(`${prefix}.${part}`)));
  if (!year || !month || !day) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
