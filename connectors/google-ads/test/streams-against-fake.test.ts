import { readFileSync } from 'node:fs';
import { FatalError, createHttpClient, dateInZone, silentLogger, type Lead } from '@sourceline/sdk';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, runStream } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import googleAds, { googleAdsSettings } from '../src/index.ts';
import { renderLeadFormDeliveries, startGoogleAdsFake, type GoogleAdsFake } from '../fake/index.ts';

let fake: GoogleAdsFake;
beforeAll(async () => {
  fake = await startGoogleAdsFake({ seed: 17, pageSize: 40, faults: { rate429: 0.03, rate503: 0.03, seed: 9 } });
});
afterAll(() => fake.close());

const now = () => new Date('2025-07-01T12:00:00Z');
const http = { baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 8 };
const settingsFor = (overrides: Record<string, unknown> = {}) => ({
  apiBaseUrl: fake.apiBaseUrl, tokenUrl: fake.tokenUrl, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret,
  refreshToken: fake.oauth.refreshToken, developerToken: fake.developerToken, customerId: fake.account.customer.id, backfillDays: 45,
  leadFormKey: 'bayside-leadform-secret-0000', ...overrides,
});
const options = (stream: string) => ({ connector: googleAds, stream, settings: settingsFor(), http, now });

describe('Google Ads streams against the API fake', () => {
  for (const stream of googleAds.streams.map((s) => s.name)) {
    it(`${stream}: idempotent re-run, monotonic cursors, crash resume`, async () => {
      const { first } = await checkIdempotentRerun(options(stream));
      expect(Object.values(first.emitted).reduce<number>((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
      await checkMonotonicCursors({ ...options(stream), runs: 2 });
      await checkCrashResume({ ...options(stream), maxCrashPoints: 3 });
    });
  }

  it('converts cost_micros to cents once, matching the world’s spend to the cent', async () => {
    const report = await runStream(options('spend'));
    const spend = report.store.records('spend');
    const days = new Set(spend.map((s) => s.date));
    expect(days.size).toBe(45);
    const worldCents = fake.practice.spend.filter((s) => s.source === 'google' && days.has(s.date)).reduce((sum, s) => sum + s.costCents, 0);
    expect(spend.reduce((sum, s) => sum + s.costCents, 0)).toBe(worldCents);
    expect(spend.every((s) => s.currency === 'USD' && s.source === 'google')).toBe(true);
  });

  it('resolves the gclid of every lead clicked in the window to its campaign, ad group and keyword, one day per query', async () => {
    fake.queries.length = 0;
    const report = await runStream(options('clicks'));
    const clickQueries = fake.queries.filter((q) => q.includes('FROM click_view'));
    expect(clickQueries.length).toBe(45);
    expect(clickQueries.every((q) => /WHERE segments\.date = '\d{4}-\d{2}-\d{2}'$/.test(q))).toBe(true);
    const from = '2025-05-17';
    const leadsWithClicks = fake.practice.leads.filter((l) => l.gclid && l.source === 'google' && dateInZone(new Date(l.occurredAt), fake.practice.timeZone) >= from);
    expect(leadsWithClicks.length).toBeGreaterThan(3);
    for (const lead of leadsWithClicks) {
      expect(report.store.get('ad-click', `gads:click:${lead.gclid}`)).toMatchObject({ campaignName: lead.campaign, adGroupName: lead.adGroup, campaignType: 'SEARCH' });
    }
  });

  it('refuses to reach past click_view’s 90 days, however long the backfill', async () => {
    fake.queries.length = 0;
    await runStream({ ...options('clicks'), settings: settingsFor({ backfillDays: 365 }) });
    expect(fake.queries.filter((q) => q.includes('FROM click_view')).length).toBe(89);
  });

  it('turns call_view rows into call leads in the account’s zone, without caller numbers', async () => {
    const report = await runStream({ ...options('calls'), settings: settingsFor({ backfillDays: 150 }) });
    const leads = report.store.records('lead');
    expect(leads.length).toBe(fake.account.calls.length);
    expect(leads.every((l) => l.phone === null && l.gclid === null && l.source === 'google')).toBe(true);
    const demo = new Map(fake.practice.leads.map((l) => [l.id, l]));
    for (const call of fake.account.calls) {
      const lead = leads.find((l) => l.id.endsWith(`:${call.callDetailId}`))!;
      expect(lead.occurredAt).toBe(new Date(demo.get(call.demoLeadId)!.occurredAt).toISOString());
      expect(lead.kind).toBe(call.location === 'AD' ? 'click-to-call' : 'call');
    }
  });

  it('lists campaigns, ad groups and keywords of the account', async () => {
    expect((await runStream(options('campaigns'))).store.count('ad-campaign')).toBe(fake.account.campaigns.length);
    expect((await runStream(options('ad-groups'))).store.count('ad-group')).toBe(fake.account.adGroups.length);
    const keywords = (await runStream(options('keywords'))).store.records('ad-keyword');
    expect(keywords.length).toBe(fake.account.keywords.length);
    expect(keywords.find((k) => k.text === 'dental implants')?.matchType).toBe('BROAD');
  });

  it('verifies and parses the lead form deliveries of the world, int64 ids intact', () => {
    const settings = googleAdsSettings.parse(settingsFor());
    const deliveries = renderLeadFormDeliveries(fake.practice, fake.account, { googleKey: 'bayside-leadform-secret-0000' });
    expect(deliveries.length).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      expect(googleAds.webhooks[0]!.verify(delivery.request, settings)).toBe(true);
      const lead = googleAds.webhooks[0]!.parse({ body: delivery.request.body, name: 'lead-form', receivedAt: delivery.receivedAt }, settings).records[0]!.record as Lead;
      expect(lead.adId).toMatch(/^900719925474\d{4}$/);
      expect(lead.occurredAt).toBe(new Date(delivery.receivedAt).toISOString());
    }
  });
});

describe('Google Ads Test connection and errors', () => {
  const check = (overrides: Record<string, unknown>) => googleAds.testConnection!({
    settings: googleAdsSettings.parse(settingsFor(overrides)), http: createHttpClient(http), log: silentLogger, signal: new AbortController().signal,
  });

  it('names the account, its zone and currency', async () => {
    fake.server.setFaults({ rate429: 0, rate503: 0 });
    await expect(check({})).resolves.toBe(`Connected: Google Ads account "${fake.practice.name}" (America/Chicago, USD).`);
  });

  it('says what to fix: the OAuth grant, the developer token, the customer id', async () => {
    await expect(check({ refreshToken: 'revoked' })).rejects.toThrow(/Google refused the OAuth credentials \(invalid_grant\)/);
    await expect(check({ developerToken: 'wrong' })).rejects.toThrow(/DEVELOPER_TOKEN_NOT_APPROVED/);
    await expect(check({ customerId: '999-999-9999' })).rejects.toThrow(FatalError);
  });
});

describe('saved search responses', () => {
  const parse = (stream: string, file: string, settings: Record<string, unknown> = {}) =>
    googleAds.streams.find((s) => s.name === stream)!.parse({ body: readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8'), name: file }, settings);

  it('parses daily cost with omitted zero metrics, rounding sub-cent micros half away from zero', () => {
    const result = parse('spend', 'search-campaign-days.json');
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => r.record)).toEqual([
      { id: '20000000002:2025-03-13', date: '2025-03-13', source: 'google', medium: 'cpc', campaign: 'Invisalign | Search', adGroup: null, costCents: 4822, currency: 'USD', clicks: 5, impressions: 141 },
      { id: '20000000003:2025-03-13', date: '2025-03-13', source: 'google', medium: 'cpc', campaign: 'Brand | Search', adGroup: null, costCents: 123, currency: 'USD', clicks: 0, impressions: 12 },
      { id: '20000000004:2025-03-13', date: '2025-03-13', source: 'google', medium: 'cpc', campaign: 'Emergency Dentist | Search', adGroup: null, costCents: 0, currency: 'USD', clicks: 0, impressions: 0 },
    ]);
  });

  it('parses click_view rows, display clicks and keywordless ones included', () => {
    const records = parse('clicks', 'search-click-view.json').records.map((r) => r.record);
    expect(records[0]).toEqual({
      id: 'gads:click:EAIaIQobChMIfake0gclid0value', network: 'google-ads', accountId: '1234567890', clickId: 'EAIaIQobChMIfake0gclid0value',
      clickedOn: '2025-03-13', campaignId: '20000000002', campaignName: 'Invisalign | Search', adGroupId: '150000000003', adGroupName: 'Invisalign',
      keyword: 'invisalign cost near me', matchType: 'PHRASE', campaignType: 'SEARCH',
    });
    expect(records[1]).toMatchObject({ keyword: null, campaignType: 'DISPLAY' });
  });

  it('parses call_view rows in the account zone; a missed call has no duration and no area code', () => {
    const records = parse('calls', 'search-call-view.json').records.map((r) => r.record as Lead);
    expect(records.map((l) => [l.id, l.occurredAt, l.kind, l.durationSeconds, l.campaignId])).toEqual([
      ['gads:call:1234567890:1200000000000000077', '2025-03-13T14:41:07.000Z', 'click-to-call', 214, '20000000004'],
      ['gads:call:1234567890:1200000000000000078', '2025-03-13T22:02:55.000Z', 'call', 0, '20000000004'],
    ]);
  });

  it('parses campaigns with their channel types and statuses', () => {
    expect(parse('campaigns', 'search-campaigns.json').records.map((r) => r.record)).toEqual([
      { id: '20000000002', network: 'google-ads', accountId: '1234567890', name: 'Invisalign | Search', status: 'ENABLED', channelType: 'SEARCH' },
      { id: '20000000009', network: 'google-ads', accountId: '1234567890', name: 'Remarketing | Display', status: 'PAUSED', channelType: 'DISPLAY' },
      { id: '20000000010', network: 'google-ads', accountId: '1234567890', name: 'Old Promo', status: 'REMOVED', channelType: 'PERFORMANCE_MAX' },
    ]);
  });
});
