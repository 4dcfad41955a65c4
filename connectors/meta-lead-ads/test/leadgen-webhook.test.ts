import { readFileSync } from 'node:fs';
import type { Lead } from '@sourceline/sdk';
import { checkWebhookRejectsBadSignatures } from '@sourceline/sdk/testkit';
import { describe, expect, it } from 'vitest';
import metaLeadAds, { answerSubscribeChallenge, leadgenNoticesOf, metaLeadAdsSettings, signMetaBody } from '../src/index.ts';

const fixture = (name: string) => ({ body: readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'), name });
const settings = metaLeadAdsSettings.parse({ pageId: '100000000000001', pageAccessToken: 'token', appSecret: 'meta-app-secret', verifyToken: 'bayside-verify-0001' });
const webhook = metaLeadAds.webhooks[0]!;

describe('the Meta leadgen webhook', () => {
  it('turns the spec’s notification into a provisional placeholder lead: id, submission time and the ad', () => {
    const result = webhook.parse(fixture('leadgen-webhook.json'), settings);
    expect(result.issues).toEqual([]);
    expect(webhook.provisional).toBe(true);
    expect(result.records).toEqual([{
      kind: 'lead',
      record: expect.objectContaining({ id: 'meta:lead:900000000000042', occurredAt: '2024-03-14T16:02:09.000Z', kind: 'form', adId: '120000000000055', name: null, phone: null, email: null }),
    }]);
  });

  it('reads every leadgen change of a batched delivery, skips other fields, and falls back to adgroup_id and the batch time', () => {
    const leads = webhook.parse(fixture('leadgen-webhook-batch.json'), settings).records.map((r) => r.record as Lead);
    expect(leads.map((l) => [l.id, l.adId, l.occurredAt])).toEqual([
      ['meta:lead:900000000000043', null, '2024-03-14T16:49:50.000Z'],
      ['meta:lead:900000000000044', '120000000000056', '2024-03-14T16:49:55.000Z'],
      ['meta:lead:900000000000045', '120000000000055', '2024-03-14T16:51:40.000Z'],
    ]);
  });

  it('exposes the announced leadgen ids for the platform to fetch', () => {
    const { notices } = leadgenNoticesOf(JSON.parse(fixture('leadgen-webhook-batch.json').body), 'batch');
    expect(notices.map((n) => n.leadgenId)).toEqual(['900000000000043', '900000000000044', '900000000000045']);
  });

  it('refuses what is not a Page webhook', () => {
    expect(webhook.parse({ body: '{"object":"instagram","entry":[]}', name: 'ig' }, settings).issues).toEqual([{ record: 'ig', field: 'object', message: 'not a Page webhook' }]);
  });

  it('verifies X-Hub-Signature-256 (sha256=hex HMAC of the raw body with the app secret)', async () => {
    const body = fixture('leadgen-webhook.json').body;
    await checkWebhookRejectsBadSignatures({
      connector: metaLeadAds, webhook: 'leadgen', settings, otherSettings: { ...settings, appSecret: 'another-app-secret' },
      signedRequest: { method: 'POST', url: '/hooks/meta-lead-ads/leadgen', body, headers: { 'x-hub-signature-256': signMetaBody(body, settings.appSecret) } },
      signatureHeaders: ['x-hub-signature-256'],
    });
    const sha1 = `sha1=${(await import('node:crypto')).createHmac('sha1', settings.appSecret).update(body).digest('hex')}`;
    expect(webhook.verify({ method: 'POST', url: '/', body, headers: { 'x-hub-signature-256': sha1 } }, settings)).toBe(false);
  });
});

describe('the subscribe handshake', () => {
  it('echoes hub.challenge when the verify token matches', () => {
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': 'bayside-verify-0001', 'hub.challenge': '1158201444' });
    expect(answerSubscribeChallenge(query, settings)).toEqual({ status: 200, body: '1158201444' });
  });

  it('answers 403 to another token and 400 to a request that is not a subscribe handshake', () => {
    expect(answerSubscribeChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' }, settings).status).toBe(403);
    expect(answerSubscribeChallenge({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }, settings).status).toBe(403);
    expect(answerSubscribeChallenge({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'bayside-verify-0001', 'hub.challenge': '1' }, settings).status).toBe(400);
    expect(answerSubscribeChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 'bayside-verify-0001', 'hub.challenge': '<script>' }, settings).status).toBe(400);
  });
});

describe('Graph leads', () => {
  const stream = metaLeadAds.streams[0]!;

  it('maps the spec’s lead: names, answers, Instagram, campaign and ad set, paid because an ad produced it', () => {
    const result = stream.parse(fixture('graph-lead.json'), settings);
    expect(result.issues).toEqual([]);
    expect(result.records[0]!.record).toEqual({
      id: 'meta:lead:900000000000042', occurredAt: '2025-03-14T16:02:09.000Z', kind: 'form', channel: null, source: 'instagram', medium: null,
      campaign: 'Implant Consult Spring', adGroup: 'Implants 35-64 10mi', keyword: null, gclid: null, name: 'Priya Natarajan',
      phone: '+15550106612', email: 'priya.n@example.com', landingPage: null, message: 'preferred_time: mornings', durationSeconds: null,
      locationId: null, referrer: null, clickIds: null, trackingNumber: null, sourceLabel: null, campaignId: '100000000000021',
      adId: '120000000000055', isFirstContact: null,
    });
  });

  it('maps a page of a form’s leads: organic leads keep no ad, split names join, multiple-choice answers list', () => {
    const leads = stream.parse(fixture('form-leads-page.json'), settings).records.map((r) => r.record as Lead);
    expect(leads[0]).toMatchObject({ name: 'Tom Brennan', email: 'TOM.BRENNAN@EXAMPLE.COM', adId: null, source: 'facebook', message: 'which_treatment_are_you_interested_in?: implants, whitening' });
    expect(leads[1]).toMatchObject({ name: 'Lucía Ortega', adId: '120000000000056', campaign: null, phone: '+15550102211' });
  });
});
