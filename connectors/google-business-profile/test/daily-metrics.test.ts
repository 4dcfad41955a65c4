import { readFileSync } from 'node:fs';
import { FatalError, createHttpClient, silentLogger } from '@sourceline/sdk';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, MemoryStore, runStream } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import googleBusinessProfile, { gbpSettings } from '../src/index.ts';
import { expectedMetric, startGbpFake, type GbpFake } from '../fake/index.ts';

let fake: GbpFake;
beforeAll(async () => {
  fake = await startGbpFake({ seed: 23, faults: { rate429: 0.05, rate503: 0.05, seed: 2 } });
});
afterAll(() => fake.close());

const http = { baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 8 };
const now = () => new Date('2025-07-01T12:00:00Z');
const settingsFor = (overrides: Record<string, unknown> = {}) => ({
  apiBaseUrl: fake.apiBaseUrl, tokenUrl: fake.tokenUrl, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret,
  refreshToken: fake.oauth.refreshToken, locationIds: fake.listings.map((l) => `locations/${l.locationId}`), backfillDays: 100, ...overrides,
});
const options = (overrides: Record<string, unknown> = {}) => ({ connector: googleBusinessProfile, stream: 'daily-metrics', settings: settingsFor(overrides), http, now });

describe('Google Business Profile daily metrics against the Performance API fake', () => {
  it('keeps the SDK contract: idempotent re-run, monotonic cursors, crash resume', async () => {
    await checkIdempotentRerun(options());
    await checkMonotonicCursors({ ...options(), runs: 3 });
    await checkCrashResume({ ...options(), maxCrashPoints: 4 });
  });

  it('stores one record per listing and day with the world’s counts, zero where Google left the value out', async () => {
    const report = await runStream(options());
    const records = report.store.records('gbp-metric');
    expect(records.length).toBe(fake.listings.length * 98); // 100 days through yesterday, the last two not yet published
    for (const record of records.filter((_, i) => i % 17 === 0)) {
      const listing = fake.listings.find((l) => l.locationId === record.locationId)!;
      expect(record).toMatchObject(expectedMetric(listing, record.date)!);
      expect(record.id).toBe(`gbp:${record.locationId}:${record.date}`);
    }
    expect(records.some((r) => r.bookings === 0)).toBe(true);
  });

  it('fills the days Google publishes late on the next run, through the overlap', async () => {
    const store = new MemoryStore();
    fake.publishThrough('2025-06-26');
    await runStream({ ...options(), store, now: () => new Date('2025-06-30T12:00:00Z') });
    const before = store.count('gbp-metric');
    fake.publishThrough('2025-06-29');
    await runStream({ ...options(), store, now: () => new Date('2025-07-01T12:00:00Z') });
    fake.publishThrough('2025-06-28');
    expect(store.count('gbp-metric')).toBe(before + 3 * fake.listings.length);
  });

  it('leaves metrics it was not asked for null', async () => {
    const report = await runStream(options({ metrics: ['CALL_CLICKS'] }));
    expect(report.store.records('gbp-metric')[0]).toMatchObject({ callClicks: expect.any(Number), websiteClicks: null, directionRequests: null });
  });

  it('says which listing the Google account cannot read', async () => {
    fake.server.setFaults({ rate429: 0, rate503: 0 });
    const check = (overrides: Record<string, unknown>) => googleBusinessProfile.testConnection!({
      settings: gbpSettings.parse(settingsFor(overrides)), http: createHttpClient(http), log: silentLogger, signal: new AbortController().signal,
    });
    await expect(check({})).resolves.toBe(`Connected: Google answered for ${fake.listings.length} listing(s).`);
    await expect(check({ locationIds: ['123'] })).rejects.toThrow(/refused location 123 \(PERMISSION_DENIED/);
    await expect(check({ refreshToken: 'revoked' })).rejects.toThrow(FatalError);
  });
});

describe('a saved Performance API response', () => {
  it('maps each day reported by any metric; omitted values are zero and unknown metrics are skipped', () => {
    const body = readFileSync(new URL('../fixtures/multi-daily-metrics.json', import.meta.url), 'utf8');
    const result = googleBusinessProfile.streams[0]!.parse({ body, name: 'multi-daily-metrics.json' }, { locationIds: ['4412345678901234567'] });
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => r.record)).toEqual([
      { id: 'gbp:4412345678901234567:2025-03-13', locationId: '4412345678901234567', date: '2025-03-13', callClicks: 4, websiteClicks: 11, directionRequests: 0,
        bookings: null, messagingClicks: null, impressionsDesktopMaps: null, impressionsDesktopSearch: null, impressionsMobileMaps: null, impressionsMobileSearch: null },
      { id: 'gbp:4412345678901234567:2025-03-14', locationId: '4412345678901234567', date: '2025-03-14', callClicks: 3, websiteClicks: 0, directionRequests: 2,
        bookings: null, messagingClicks: null, impressionsDesktopMaps: null, impressionsDesktopSearch: null, impressionsMobileMaps: null, impressionsMobileSearch: null },
    ]);
  });
});
