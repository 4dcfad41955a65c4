import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEEP_ALIVE_MS, listen } from './server.ts';

let server: http.Server;
beforeAll(async () => {
  const app = express();
  app.get('/ping', (_req, res) => res.send('pong'));
  server = await listen(app, 0, '127.0.0.1');
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('keeps idle connections a minute, past common load balancers, and tells clients so', async () => {
  expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
  expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  const agent = new http.Agent({ keepAlive: true });
  const header = await new Promise<string | undefined>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/ping', agent }, (res) => {
        res.resume();
        resolve(res.headers['keep-alive'] as string | undefined);
      })
      .on('error', reject);
  });
  agent.destroy();
  expect(header).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
});
