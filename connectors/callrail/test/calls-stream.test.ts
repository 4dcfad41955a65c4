import { readFileSync } from 'node:fs';
import { FatalError, createHttpClient, silentLogger, type Lead } from '@sourceline/sdk';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, runStream } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import callRail, { callRailSettings } from '../src/index.ts';
import { renderCallRailDeliveries, startCallRailFake, type CallRailFake } from '../fake/index.ts';

let fake: CallRailFake;
beforeAll(async () => {
  fake = await startCallRailFake({ seed: 5, faults: { rate429: 0.05, rate503: 0.05, seed: 5 } });
});
afterAll(() => fake.close());

const now = () => new Date('2025-07-01T06:00:00Z');
const http = { baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 8 };
const settingsFor = (overrides: Record<string, unknown> = {}) => ({
  baseUrl: fake.baseUrl, apiKey: fake.apiKey, accountId: fake.accountId, companyId: fake.companyId, signingKey: fake.signingKey,
  backfillDays: 150, pageSize: 40, ...overrides,
});
const options = () => ({ connector: callRail, stream: 'calls', settings: settingsFor(), http, now });

describe('the CallRail backfill stream against the REST v3 fake', () => {
  it('lists every inbound call once, and a re-run over the 48-hour overlap changes nothing', async () => {
    const { first, second } = await checkIdempotentRerun(options());
    expect(first.store.count('lead')).toBe(fake.calls.length);
    expect(first.commits).toBeGreaterThan(2);
    expect(second.emitted.lead ?? 0).toBeLessThan(first.emitted.lead!);
  });

  it('commits monotonic cursors and resumes after a crash at any page', async () => {
    await checkMonotonicCursors({ ...options(), runs: 3 });
    await checkCrashResume({ ...options(), maxCrashPoints: 4 });
  });

  it('reads only the backfill window on a first run', async () => {
    const report = await runStream({ ...options(), settings: settingsFor({ backfillDays: 14 }) });
    const expected = fake.calls.filter((c) => c.startMs >= now().getTime() - 14 * 86_400_000).length;
    expect(report.store.count('lead')).toBe(expected);
  });

  it('agrees with the webhooks: a call’s post-call delivery and its REST listing give the same lead', async () => {
    const report = await runStream(options());
    const stored = new Map(report.store.records('lead').map((l) => [l.id, l]));
    const settings = callRailSettings.parse(settingsFor());
    const postCall = callRail.webhooks.find((w) => w.name === 'post-call')!;
    const deliveries = renderCallRailDeliveries(fake.calls, { signingKey: fake.signingKey }).filter((d) => d.webhook === 'post-call');
    expect(deliveries).toHaveLength(fake.calls.length);
    for (const delivery of deliveries) {
      expect(await postCall.verify(delivery.request, settings)).toBe(true);
      const [record] = postCall.parse({ body: delivery.request.body, name: 'post-call' }, settings).records;
      expect(record!.record).toEqual(stored.get((record!.record as Lead).id));
    }
  });

  it('marks repeat callers from CallRail’s first_call flag', async () => {
    const report = await runStream(options());
    const leads = report.store.records('lead');
    expect(leads.some((l) => l.isFirstContact === false)).toBe(true);
    expect(leads.filter((l) => l.isFirstContact).length).toBeGreaterThan(leads.length / 2);
  });

  it('parses a saved calls page, skipping outbound calls', () => {
    const body = readFileSync(new URL('../fixtures/calls-page.json', import.meta.url), 'utf8');
    const result = callRail.streams[0]!.parse({ body, name: 'calls-page.json' }, {});
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => (r.record as Lead).id)).toEqual(['callrail:call:CAL1111111111111111111111111111aaaa', 'callrail:call:CAL2222222222222222222222222222bbbb']);
    expect(result.records[1]!.record).toMatchObject({ referrer: 'https://www.bing.com/', sourceLabel: 'Bing Organic', isFirstContact: false, name: null });
  });
});

describe('CallRail Test connection', () => {
  const check = (overrides: Record<string, unknown>) => callRail.testConnection!({
    settings: callRailSettings.parse(settingsFor(overrides)), http: createHttpClient({ ...http }), log: silentLogger, signal: new AbortController().signal,
  });

  it('names the account it reached', async () => {
    fake.server.setFaults({ rate429: 0, rate503: 0 });
    await expect(check({})).resolves.toContain(fake.accountId);
  });

  it('says to check the key when CallRail refuses it, and the account when the key cannot see it', async () => {
    await expect(check({ apiKey: 'wrong' })).rejects.toThrow(FatalError);
    await expect(check({ apiKey: 'wrong' })).rejects.toThrow(/rejected the API key \(401\)/);
    await expect(check({ accountId: 'ACCnope' })).rejects.toThrow(/cannot see account ACCnope/);
  });
});
