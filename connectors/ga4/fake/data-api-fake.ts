import {
  answerTokenRequest, generateWorld, hasBearer, startFakeHttpServer, type DemoPractice, type DemoWorld, type FakeFaults, type FakeHttpServer,
  type FakeOAuthClient, type FakeRequest, type FakeResponse,
} from '@sourceline/sdk/testkit';
import { z } from 'zod';
import { buildWorldTraffic, type TrafficRow } from './world-traffic.ts';

export interface Ga4FakeOptions {
  world?: DemoWorld;
  practiceIndex?: number;
  seed?: number;
  propertyId?: string;
  oauth?: Partial<FakeOAuthClient>;
  host?: string;
  port?: number;
  faults?: Partial<FakeFaults>;
}

export interface Ga4Fake {
  /** `http://127.0.0.1:PORT`: the `apiBaseUrl` setting; the token endpoint is `${origin}/token`. */
  readonly apiBaseUrl: string;
  readonly tokenUrl: string;
  readonly oauth: FakeOAuthClient;
  readonly propertyId: string;
  readonly traffic: TrafficRow[];
  readonly practice: DemoPractice;
  readonly server: FakeHttpServer;
  close(): Promise<void>;
}

const dimensionsServed = { date: 'date', sessionSource: 'source', sessionMedium: 'medium', sessionCampaignName: 'campaign' } as const;
const metricsServed = ['sessions', 'totalUsers', 'newUsers', 'engagedSessions', 'keyEvents'] as const;

const ReportRequest = z.object({
  dateRanges: z.array(z.object({ startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), endDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })).length(1),
  dimensions: z.array(z.object({ name: z.string() })),
  metrics: z.array(z.object({ name: z.string() })).min(1),
  limit: z.union([z.string(), z.number()]).optional(),
  offset: z.union([z.string(), z.number()]).optional(),
});

const googleError = (code: number, status: string, message: string): FakeResponse => ({ status: code, body: { error: { code, message, status } } });

/**
 * A GA4 Data API fake on loopback: `POST /v1beta/properties/{id}:runReport` over the world's traffic, with the
 * dimensions date / sessionSource / sessionMedium / sessionCampaignName and the metrics sessions, totalUsers, newUsers,
 * engagedSessions, keyEvents; values as strings, `date` as YYYYMMDD, `limit`/`offset` paging with `rowCount`, rows in
 * dimension order, and INVALID_ARGUMENT for a name it does not know (as GA4 does).
 */
export async function startGa4Fake(options: Ga4FakeOptions = {}): Promise<Ga4Fake> {
  const seed = options.seed ?? 29;
  const world = options.world ?? generateWorld({
    seed, practices: [{ name: 'Bayside Smiles Dental', timeZone: 'America/Chicago', locations: 1, patients: 300, months: 4 }],
  });
  const practice = world.practices[options.practiceIndex ?? 0];
  if (!practice) throw new RangeError('the world has no practice at that index');
  const traffic = buildWorldTraffic(practice, seed);
  const propertyId = options.propertyId ?? '312345678';
  const oauth: FakeOAuthClient = { clientId: 'fake-client-id', clientSecret: 'fake-client-secret', refreshToken: 'fake-refresh-token', accessToken: 'fake-ga4-access-token', ...options.oauth };

  const handle = (request: FakeRequest): FakeResponse => {
    if (request.url.pathname === '/token') return answerTokenRequest(request, oauth);
    if (!hasBearer(request, oauth.accessToken)) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    const route = /^\/v1beta\/properties\/(\d+):runReport$/.exec(request.url.pathname);
    if (request.method !== 'POST' || !route) return googleError(404, 'NOT_FOUND', 'Not found.');
    if (route[1] !== propertyId) return googleError(403, 'PERMISSION_DENIED', 'User does not have sufficient permissions for this property.');
    let parsed: z.infer<typeof ReportRequest>;
    try {
      parsed = ReportRequest.parse(JSON.parse(request.body));
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    const unknownDimension = parsed.dimensions.find((d) => !(d.name in dimensionsServed));
    if (unknownDimension) return googleError(400, 'INVALID_ARGUMENT', `Field ${unknownDimension.name} is not a valid dimension.`);
    const unknownMetric = parsed.metrics.find((m) => !(metricsServed as readonly string[]).includes(m.name));
    if (unknownMetric) return googleError(400, 'INVALID_ARGUMENT', `Field ${unknownMetric.name} is not a valid metric.`);
    const { startDate, endDate } = parsed.dateRanges[0]!;
    const dims = parsed.dimensions.map((d) => dimensionsServed[d.name as keyof typeof dimensionsServed]);
    const grouped = new Map<string, { keys: string[]; totals: Record<string, number> }>();
    for (const row of traffic) {
      if (row.date < startDate || row.date > endDate) continue;
      const keys = dims.map((d) => (d === 'date' ? row.date.replace(/-/g, '') : row[d]));
      const key = keys.join('\u0000');
      const group = grouped.get(key) ?? { keys, totals: Object.fromEntries(metricsServed.map((m) => [m, 0])) };
      for (const m of metricsServed) group.totals[m]! += row[m];
      grouped.set(key, group);
    }
    const rows = [...grouped.values()].sort((a, b) => a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')));
    const offset = Number(parsed.offset ?? 0);
    const limit = Number(parsed.limit ?? 10_000);
    return {
      status: 200,
      body: {
        dimensionHeaders: parsed.dimensions.map((d) => ({ name: d.name })),
        metricHeaders: parsed.metrics.map((m) => ({ name: m.name, type: 'TYPE_INTEGER' })),
        rows: rows.slice(offset, offset + limit).map((r) => ({
          dimensionValues: r.keys.map((value) => ({ value })),
          metricValues: parsed.metrics.map((m) => ({ value: String(r.totals[m.name] ?? 0) })),
        })),
        rowCount: rows.length,
        metadata: { currencyCode: 'USD', timeZone: practice.timeZone },
        kind: 'analyticsData#runReport',
      },
    };
  };

  const server = await startFakeHttpServer(handle, { host: options.host, port: options.port, faults: options.faults });
  return { apiBaseUrl: server.origin, tokenUrl: `${server.origin}/token`, oauth, propertyId, traffic, practice, server, close: () => server.close() };
}
