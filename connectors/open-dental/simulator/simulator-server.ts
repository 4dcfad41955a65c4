import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateWorld, type DemoWorld } from '@sourceline/sdk/testkit';
import { errorBody, routeApiRequest, type RouteConfig } from './api-routes.ts';
import { KeyThrottle, RequestFaults } from './request-faults.ts';
import { ServerClock } from './server-clock.ts';
import { defaultKeys, noFaults, type KeyPermission, type SimulatorFaults, type SimulatorOptions } from './simulator-options.ts';
import { SimulatorState } from './simulator-state.ts';

export interface SimulatorStats {
  requests: number;
  byStatus: Record<number, number>;
}

export interface OpenDentalSimulator {
  /** `http://127.0.0.1:PORT/api/v1` — what a connection's base URL setting points at. */
  readonly baseUrl: string;
  readonly port: number;
  readonly world: DemoWorld;
  readonly state: SimulatorState;
  readonly clock: ServerClock;
  readonly stats: SimulatorStats;
  /** Turns faults on or off while running (tests disable them before checking the truth). */
  setFaults(faults: Partial<SimulatorFaults>): void;
  close(): Promise<void>;
}

const throttleIntervals: Record<KeyPermission, number> = { ReadAll: 5_000, Full: 1_000, Enterprise: 500 };

/** Starts a real HTTP server that behaves like an Open Dental office's API (see docs/connectors.md). */
export async function startOpenDentalSimulator(options: SimulatorOptions = {}): Promise<OpenDentalSimulator> {
  const seed = options.seed ?? 1;
  const world = options.world ?? generateWorld({
    seed,
    practices: [{ name: 'Cedar Grove Dental', timeZone: 'America/Los_Angeles', locations: 2, patients: options.patients ?? 400, months: options.months ?? 12 }],
  });
  const practice = world.practices[options.practiceIndex ?? 0];
  if (!practice) throw new RangeError('the world has no practice at that index');
  const clock = new ServerClock(options.timeZone ?? practice.timeZone, options.clockSkewMs ?? 0);
  const state = new SimulatorState(practice, clock, seed);
  const mode = options.mode ?? 'remote';
  const config: RouteConfig = {
    pageSize: options.pageSize ?? (mode === 'remote' ? 100 : 1000),
    stampComparison: options.stampComparison ?? '>=',
    officeVersion: options.officeVersion ?? '25.4.12',
  };
  const keys = options.keys ?? defaultKeys;
  const faults = new RequestFaults({ ...noFaults, ...options.faults }, options.faultSeed ?? seed);
  const throttle = new KeyThrottle();
  const throttleMode = mode === 'remote' ? (options.throttle ?? 'off') : 'off';
  const processingLimitMs = options.processingLimitMs ?? 60_000;
  const stats: SimulatorStats = { requests: 0, byStatus: {} };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (!url.pathname.startsWith('/api/v1/')) return send(res, 404, errorBody('Resource not found.'));
    const auth = /^ODFHIR ([^\s/]+)\/([^\s/]+)$/.exec(req.headers.authorization ?? '');
    const key = auth ? keys.find((k) => k.developerKey === auth[1] && k.customerKey === auth[2]) : undefined;
    if (!auth) return send(res, 401, errorBody('Authorization header must be ODFHIR {DeveloperKey}/{CustomerKey}.'));
    if (!key) return send(res, 401, errorBody('Invalid developer key or customer key.'));
    if (key.disabled) return send(res, 401, errorBody('This customer key has been disabled by the office.'));
    if (!(req.headers['content-type'] ?? '').toLowerCase().includes('application/json')) {
      return send(res, 400, errorBody('Content-Type must be application/json.'));
    }
    const current = faults.faults;
    if (current.officeOffline) return send(res, 400, errorBody('The eConnector at the office is not running. Contact the office.'));
    if (current.slowOffice) {
      await delay(processingLimitMs);
      return send(res, 504, errorBody('The request did not finish within the processing limit.'));
    }
    if (throttleMode !== 'off') {
      const interval = options.throttleIntervalMs ?? throttleIntervals[key.permission];
      const now = Date.now();
      if (throttleMode === 'reject' && throttle.waitFor(key.customerKey, now) > 0) {
        const retryAfter = Math.ceil(throttle.waitFor(key.customerKey, now) / 1000);
        return send(res, 429, errorBody('Too many requests.'), { 'retry-after': String(retryAfter) });
      }
      await delay(throttle.reserve(key.customerKey, interval, now));
    }
    const fault = faults.next();
    if (fault.kind === '429') return send(res, 429, errorBody('Too many requests queued.'), { 'retry-after': String(current.retryAfterSeconds) });
    if (fault.kind === '500') return send(res, 500, errorBody('An unexpected error occurred.'));
    if (fault.kind === 'slow') await delay(fault.ms);

    const path = url.pathname.slice('/api/v1/'.length).replace(/\/$/, '');
    const offset = Number(url.searchParams.get('Offset') ?? 0);
    if (current.churnPerPage > 0 && offset > 0) {
      // Page drift: the office keeps working between this listing's pages.
      const table = path === 'patients/Simple' ? 'patients' : path;
      if (table === 'patients' || table === 'appointments' || table === 'procedurelogs') state.churn(table, current.churnPerPage);
    }
    const response = routeApiRequest(state, config, {
      method: req.method ?? 'GET', path, query: url.searchParams, permission: key.permission, serverNow: clock.nowText(),
    });
    send(res, response.status, response.body);
  };

  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, errorBody(`simulator error: ${(error as Error).message}`));
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/api/v1`,
    port,
    world,
    state,
    clock,
    stats,
    setFaults(next) {
      faults.faults = { ...faults.faults, ...next };
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
