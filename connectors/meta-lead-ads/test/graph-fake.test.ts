import { FatalError, createHttpClient, silentLogger, type Lead } from '@sourceline/sdk';
import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors, runStream } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import metaLeadAds, { metaLeadAdsSettings, retrieveMetaLead } from '../src/index.ts';
import { renderMetaDeliveries, startMetaGraphFake, type MetaGraphFake } from '../fake/index.ts';

let fake: MetaGraphFake;
beforeAll(async () => {
  fake = await startMetaGraphFake({ seed: 11, defaultLimit: 7, faults: { rate429: 0.05, rate503: 0.05, seed: 3 } });
});
afterAll(() => fake.close());

const now = () => new Date('2025-07-01T06:00:00Z');
const http = { baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 8 };
const settingsFor = (overrides: Record<string, unknown> = {}) => ({
  graphBaseUrl: fake.graphBaseUrl, pageId: fake.page.pageId, pageAccessToken: fake.accessToken, appSecret: fake.appSecret,
  verifyToken: fake.verifyToken, backfillDays: 90, ...overrides,
});
const options = () => ({ connector: metaLeadAds, stream: 'leads', settings: settingsFor(), http, now });
const client = () => createHttpClient({ ...http });

describe('the Meta leads reconcile against the Graph API fake', () => {
  it('reads every form’s leads in the window once, and a re-run changes nothing', async () => {
    const inWindow = fake.page.leads.filter((l) => l.createdUnix * 1000 > now().getTime() - 90 * 86_400_000);
    expect(inWindow.length).toBeGreaterThan(10);
    const { first } = await checkIdempotentRerun(options());
    expect(first.store.count('lead')).toBe(inWindow.length);
  });

  it('commits monotonic cursors and resumes after a crash at any page', async () => {
    await checkMonotonicCursors({ ...options(), runs: 3 });
    await checkCrashResume({ ...options(), maxCrashPoints: 4 });
  });

  it('replaces each webhook placeholder with the fetched lead, by the same id', async () => {
    const settings = metaLeadAdsSettings.parse(settingsFor());
    const webhook = metaLeadAds.webhooks[0]!;
    const deliveries = renderMetaDeliveries(fake.page, { appSecret: fake.appSecret });
    expect(deliveries.reduce((n, d) => n + d.leadIds.length, 0)).toBe(fake.page.leads.length);
    const delivery = deliveries.find((d) => d.leadIds.length > 1)!;
    expect(webhook.verify(delivery.request, settings)).toBe(true);
    const placeholders = webhook.parse({ body: delivery.request.body, name: 'leadgen' }, settings).records.map((r) => r.record as Lead);
    const context = { settings, http: client(), log: silentLogger, signal: new AbortController().signal };
    const completed = await webhook.complete!(context, placeholders.map((p) => ({ kind: 'lead', id: p.id })));
    expect(completed.map((c) => c.record.id)).toEqual(placeholders.map((p) => p.id));
    for (const [i, { record }] of completed.entries()) {
      const full = record as Lead;
      expect(full).toMatchObject({ id: placeholders[i]!.id, occurredAt: placeholders[i]!.occurredAt, adId: placeholders[i]!.adId });
      expect(full.name ?? full.email ?? full.phone).not.toBeNull();
    }
  });

  it('completes what Meta still has, leaves a lead it no longer serves provisional, and stops on a refused token', async () => {
    fake.server.setFaults({ rate429: 0, rate503: 0 });
    const settings = metaLeadAdsSettings.parse(settingsFor());
    const webhook = metaLeadAds.webhooks[0]!;
    const context = (s = settings) => ({ settings: s, http: client(), log: silentLogger, signal: new AbortController().signal });
    const known = fake.page.leads[0]!;
    const completed = await webhook.complete!(context(), [{ kind: 'lead', id: 'meta:lead:123' }, { kind: 'lead', id: `meta:lead:${known.graph.id}` }]);
    expect(completed.map((c) => c.record.id)).toEqual([`meta:lead:${known.graph.id}`]);
    const refused = metaLeadAdsSettings.parse(settingsFor({ pageAccessToken: 'expired' }));
    await expect(webhook.complete!(context(refused), [{ kind: 'lead', id: `meta:lead:${known.graph.id}` }])).rejects.toThrow(/code 190/);
  });

  it('agrees between the single-lead fetch and the reconcile listing', async () => {
    const report = await runStream(options());
    const settings = metaLeadAdsSettings.parse(settingsFor());
    const sample = report.store.records('lead').slice(0, 5);
    for (const lead of sample) expect(await retrieveMetaLead({ http: client(), settings }, lead.id.slice('meta:lead:'.length))).toEqual(lead);
  });

  it('tells the admin to reconnect when the token is refused, and names the Page when it is not', async () => {
    fake.server.setFaults({ rate429: 0, rate503: 0 });
    const check = (overrides: Record<string, unknown>) => metaLeadAds.testConnection!({
      settings: metaLeadAdsSettings.parse(settingsFor(overrides)), http: client(), log: silentLogger, signal: new AbortController().signal,
    });
    await expect(check({})).resolves.toContain(fake.page.pageName);
    await expect(check({ pageAccessToken: 'expired' })).rejects.toThrow(FatalError);
    await expect(check({ pageAccessToken: 'expired' })).rejects.toThrow(/code 190/);
    await expect(retrieveMetaLead({ http: client(), settings: metaLeadAdsSettings.parse(settingsFor()) }, '123')).rejects.toThrow(/code 100/);
  });
});
