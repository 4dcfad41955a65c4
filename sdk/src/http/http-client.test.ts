import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FatalError, RetryableError } from '../errors.ts';
import { createHttpClient, HttpStatusError } from './http-client.ts';
import { parseRetryAfter } from './retry-after.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => {
  server?.closeAllConnections();
  return server ? server.close(() => resolve()) : resolve();
}));

async function serve(handler: RequestListener): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('ctx.http', () => {
  it('retries 500s with backoff and returns the eventual answer', async () => {
    let calls = 0;
    const url = await serve((_req, res) => (++calls < 3 ? res.writeHead(500).end() : res.writeHead(200).end('ok')));
    const response = await createHttpClient({ baseBackoffMs: 1 }).request({ url });
    expect(response).toMatchObject({ status: 200, text: 'ok', attempts: 3 });
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    const url = await serve((_req, res) => (++calls === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.writeHead(200).end('ok')));
    const started = Date.now();
    await createHttpClient({ baseBackoffMs: 1 }).request({ url });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up retryably, with the wait, when Retry-After is longer than it will sleep', async () => {
    const url = await serve((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    const error = await createHttpClient({ maxRetryAfterMs: 1000 }).request({ url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).retryAfterMs).toBe(3_600_000);
  });

  it('does not retry a 4xx and reports it as fatal, without the query string', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.writeHead(403).end('forbidden');
    });
    const error = await createHttpClient().request({ url, query: { phone: '5035550142' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).not.toContain('5035550142');
    expect(calls).toBe(1);
  });

  it('times out slow responses and retries them', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      if (++calls === 1) setTimeout(() => res.writeHead(200).end('late'), 500);
      else res.writeHead(200).end('fast');
    });
    const response = await createHttpClient({ timeoutMs: 100, baseBackoffMs: 1 }).request({ url });
    expect(response.text).toBe('fast');
  });

  it('stops waiting as soon as the run is cancelled', async () => {
    const url = await serve((_req, res) => res.writeHead(503, { 'retry-after': '30' }).end());
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    const started = Date.now();
    await expect(createHttpClient({ signal: controller.signal }).request({ url })).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
