import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Random } from './demo-world/random.ts';

/** A request as a fake API sees it: the body already read, the URL parsed. */
export interface FakeRequest {
  method: string;
  url: URL;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface FakeResponse {
  status: number;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** Transport trouble a fake injects from a seeded stream, so connectors' retries are exercised deterministically. */
export interface FakeFaults {
  /** Share of requests answered 429 with `Retry-After: 0`. */
  rate429: number;
  /** Share of requests answered 503. */
  rate503: number;
  seed: number;
}

export interface FakeHttpServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly stats: { requests: number; byStatus: Record<number, number>; byPath: Record<string, number> };
  setFaults(faults: Partial<FakeFaults>): void;
  close(): Promise<void>;
}

export interface FakeHttpServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  faults?: Partial<FakeFaults>;
}

/**
 * Starts a real HTTP server on loopback that answers with `handle`: the shared shell of the lead-source API fakes
 * (request reading, JSON answers, fault injection, request statistics), so each fake is only its API's routes.
 */
export async function startFakeHttpServer(
  handle: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>,
  options: FakeHttpServerOptions = {},
): Promise<FakeHttpServer> {
  let faults: FakeFaults = { rate429: 0, rate503: 0, seed: 1, ...options.faults };
  let random = new Random(faults.seed, 99);
  const stats: FakeHttpServer['stats'] = { requests: 0, byStatus: {}, byPath: {} };

  const send = (res: ServerResponse, response: FakeResponse) => {
    stats.byStatus[response.status] = (stats.byStatus[response.status] ?? 0) + 1;
    const isText = typeof response.body === 'string';
    const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(response.status, { 'content-type': contentType, ...response.headers });
    res.end(response.body === undefined ? '' : isText ? (response.body as string) : JSON.stringify(response.body));
  };

  const respond = async (req: IncomingMessage, body: string, res: ServerResponse) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://fake');
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    const roll = random.float();
    if (roll < faults.rate429) return send(res, { status: 429, body: { error: 'rate limited' }, headers: { 'retry-after': '0' } });
    if (roll < faults.rate429 + faults.rate503) return send(res, { status: 503, body: { error: 'unavailable' } });
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    send(res, await handle({ method: req.method ?? 'GET', url, headers, body }));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      respond(req, Buffer.concat(chunks).toString('utf8'), res).catch((error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { error: `fake error: ${(error as Error).message}` } });
      });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stats,
    setFaults(next) {
      faults = { ...faults, ...next };
      random = new Random(faults.seed, 99);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The credentials a fake's OAuth token endpoint accepts, and the access token it hands out. */
export interface FakeOAuthClient {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken: string;
}

/** Answers an OAuth 2.0 refresh-token grant like Google's token endpoint: `invalid_grant` for an unknown token. */
export function answerTokenRequest(request: FakeRequest, client: FakeOAuthClient): FakeResponse {
  const form = new URLSearchParams(request.body);
  if (request.method !== 'POST' || form.get('grant_type') !== 'refresh_token') {
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }
  if (form.get('client_id') !== client.clientId || form.get('client_secret') !== client.clientSecret) {
    return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
  }
  if (form.get('refresh_token') !== client.refreshToken) {
    return { status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } };
  }
  return { status: 200, body: { access_token: client.accessToken, expires_in: 3599, token_type: 'Bearer' } };
}

/** Whether a request carries `Authorization: Bearer <accessToken>`. */
export function hasBearer(request: FakeRequest, accessToken: string): boolean {
  return request.headers.authorization === `Bearer ${accessToken}`;
}
