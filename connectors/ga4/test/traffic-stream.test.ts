import { readFileSync } from 'node:fs';
import { FatalError, createHttpClient, silentLogger } from '@sourceline/sdk';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, runStream } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ga4, { ga4MetricId, ga4Settings } from '../src/index.ts';
import { startGa4Fake, type Ga4Fake } from '../fake/index.ts';

let fake: Ga4Fake;
beforeAll(async () => {
  fake = await startGa4Fake({ seed: 29, faults: { rate429: 0.05, rate503: 0.05, seed: 4 } });
});
afterAll(() => fake.close());

const http = { baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 8 };
const now = () => new Date('2025-07-01T12:00:00Z');
const settingsFor = (overrides: Record<string, unknown> = {}) => ({
  apiBaseUrl: fake.apiBaseUrl, tokenUrl: fake.tokenUrl, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret,
  refreshToken: fake.oauth.refreshToken, propertyId: fake.propertyId, backfillDays: 60, pageSize: 50, ...overrides,
});
const options = () => ({ connector: ga4, stream: 'traffic', settings: settingsFor(), http, now });

describe('GA4 traffic against the Data API fake', () => {
  it('keeps the SDK contract: idempotent re-run, monotonic cursors, crash resume', async () => {
    await checkIdempotentRerun(options());
    await checkMonotonicCursors({ ...options(), runs: 2 });
    await checkCrashResume({ ...options(), maxCrashPoints: 4 });
  });

  it('stores every (day, source, medium, campaign) row of the window once, across report pages', async () => {
    const report = await runStream(options());
    const expected = fake.traffic.filter((r) => r.date >= '2025-05-02' && r.date <= '2025-06-30');
    expect(report.store.count('ga4-metric')).toBe(expected.length);
    const sessions = report.store.records('ga4-metric').reduce((sum, r) => sum + r.sessions, 0);
    expect(sessions).toBe(expected.reduce((sum, r) => sum + r.sessions, 0));
    const keyEvents = report.store.records('ga4-metric').reduce((sum, r) => sum + (r.keyEvents ?? 0), 0);
    expect(keyEvents).toBeGreaterThan(0);
  });

  it('asks for session-scoped aggregates only: no user-level dimension ever leaves GA4', async () => {
    const { runReportBody } = await import('../src/report-request.ts');
    const names = runReportBody('2025-06-01', '2025-06-02', { limit: 10, offset: 0 }).dimensions.map((d) => d.name);
    expect(names).toEqual(['date', 'sessionSource', 'sessionMedium', 'sessionCampaignName']);
  });

  it('says to check the property id when GA4 refuses it', async () => {
    fake.server.setFaults({ rate429: 0, rate503: 0 });
    const check = (overrides: Record<string, unknown>) => ga4.testConnection!({
      settings: ga4Settings.parse(settingsFor(overrides)), http: createHttpClient(http), log: silentLogger, signal: new AbortController().signal,
    });
    await expect(check({})).resolves.toContain(fake.propertyId);
    await expect(check({ propertyId: '1' })).rejects.toThrow(/numeric, not G-/);
    await expect(check({ refreshToken: 'revoked' })).rejects.toThrow(FatalError);
  });
});

describe('saved runReport responses', () => {
  const parse = (file: string, settings: Record<string, unknown>) =>
    ga4.streams[0]!.parse({ body: readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8'), name: file }, settings);

  it('keeps GA4’s own labels ((direct), (none), (other)) and turns YYYYMMDD into dates', () => {
    const result = parse('run-report.json', { propertyId: '312345678' });
    expect(result.issues).toEqual([]);
    expect(result.records[0]!.record).toEqual({
      id: ga4MetricId('312345678', '2025-03-13', '(direct)', '(none)', '(direct)'), propertyId: '312345678', date: '2025-03-13',
      source: '(direct)', medium: '(none)', campaign: '(direct)', sessions: 31, totalUsers: 27, newUsers: 19, engagedSessions: 17, keyEvents: 1,
    });
    expect(result.records.map((r) => (r.record as { source: string }).source)).toEqual(['(direct)', 'google', 'google', '(other)']);
  });

  it('finds columns by header name, reads the old `conversions` metric as key events, and leaves unasked metrics null', () => {
    const result = parse('run-report-conversions-metric.json', { propertyId: '312345678' });
    expect(result.records[0]!.record).toMatchObject({ date: '2025-03-14', source: 'facebook', sessions: 12, totalUsers: 9, newUsers: null, keyEvents: 1 });
  });

  it('says when it had to guess the property', () => {
    expect(parse('run-report.json', {}).issues).toEqual([expect.objectContaining({ field: '(settings)' })]);
  });
});
