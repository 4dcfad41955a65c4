import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, checkWebhookRejectsBadSignatures, MemoryStore, runStream } from '../src/testkit/index.ts';
import acmeForms from '../examples/acme-forms/src/index.ts';
import { signAcmeBody } from '../examples/acme-forms/src/submission-webhook.ts';

/** A fake Acme Forms API: 25 submissions served 10 per page in id order, with a 429 now and then. */
const submissions = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  submitted_at: `2025-01-${String((i % 28) + 1).padStart(2, '0')}T15:00:00Z`,
  fields: { name: `Test Person ${i + 1}`, phone: '(503) 555-0142', email: `person${i + 1}@example.com` },
  utm: i % 2 === 0 ? { source: 'google', medium: 'cpc', campaign: 'Implants', gclid: `gclid-${i}` } : {},
}));
let requests = 0;
const server: Server = createServer((req, res) => {
  requests++;
  if (requests % 7 === 0) return res.writeHead(429, { 'retry-after': '0' }).end();
  if (req.headers.authorization !== 'Bearer test-key') return res.writeHead(401).end();
  const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0);
  const page = submissions.filter((s) => s.id > after).slice(0, 10);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: page, has_more: page.at(-1)?.id !== 25 && page.length > 0 }));
});
let settings: { baseUrl: string; apiKey: string; webhookSecret: string };
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  settings = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'test-key', webhookSecret: 'a-very-secret-webhook-key' };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the README’s example connector passes the test kit', () => {
  const options = () => ({ connector: acmeForms, stream: 'submissions', settings, http: { baseBackoffMs: 1 } });

  it('pulls every submission once, and a re-run emits nothing', async () => {
    const { first, second } = await checkIdempotentRerun(options());
    expect(first.emitted.lead).toBe(25);
    expect(first.store.count('lead')).toBe(25);
    expect(second.emitted).toEqual({});
  });

  it('commits monotonic cursors and resumes after a crash at any batch', async () => {
    await checkMonotonicCursors(options());
    const { crashPoints } = await checkCrashResume(options());
    expect(crashPoints).toEqual([0, 1, 2]);
  });

  it('rejects webhooks with a bad signature', async () => {
    const body = JSON.stringify(submissions[0]);
    await checkWebhookRejectsBadSignatures({
      connector: acmeForms, webhook: 'submission-created', settings, otherSettings: { ...settings, webhookSecret: 'another-secret-entirely' },
      signedRequest: { method: 'POST', url: '/hooks/acme', body, headers: { 'x-acme-signature': signAcmeBody(body, settings.webhookSecret) } },
      signatureHeaders: ['x-acme-signature'],
    });
  });

  it('loses only the batch in flight when the process dies', async () => {
    const store = new MemoryStore();
    const crashed = await runStream({ ...options(), store, crashAfterCommits: 1 });
    expect(crashed.crashed).toBe(true);
    expect(store.count('lead')).toBe(10);
    expect(store.getCursor('submissions')).toEqual({ afterId: 10 });
  });
});
