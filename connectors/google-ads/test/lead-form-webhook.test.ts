import { readFileSync } from 'node:fs';
import type { Lead, WebhookRequest } from '@sourceline/sdk';
import { checkWebhookRejectsBadSignatures } from '@sourceline/sdk/testkit';
import { describe, expect, it } from 'vitest';
import googleAds, { googleAdsSettings, parseJsonKeepingInt64 } from '../src/index.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const settings = googleAdsSettings.parse({
  clientId: 'c', clientSecret: 's', refreshToken: 'r', developerToken: 'd', customerId: '123-456-7890', leadFormKey: 'bayside-leadform-secret-0000',
});
const webhook = googleAds.webhooks[0]!;
const receivedAt = '2025-03-14T16:05:00.000Z';
const parse = (name: string, overrides: Partial<typeof settings> = {}) => webhook.parse({ body: fixture(name), name, receivedAt }, { ...settings, ...overrides });

describe('the Google Ads lead form webhook', () => {
  it('maps the spec’s WebhookLead: gcl_id, columns by column_id, campaign and creative ids as strings, dated by receipt', () => {
    const result = parse('lead-form-webhook.json');
    expect(result.issues).toEqual([]);
    expect(result.records).toEqual([{
      kind: 'lead',
      record: {
        id: 'gads:leadform:TeSter-lead-7b1e2f0a9c', occurredAt: receivedAt, kind: 'form', channel: null, source: 'google', medium: 'cpc',
        campaign: null, adGroup: null, keyword: null, gclid: 'EAIaIQobChMIfake0leadform0gcl', name: 'Marcus Lee', phone: '+15550107788',
        email: 'm.lee@example.com', landingPage: null, message: null, durationSeconds: null, locationId: null, referrer: null, clickIds: null,
        trackingNumber: null, sourceLabel: null, campaignId: '20000000002', adId: '700000000004', isFirstContact: null,
      },
    }]);
  });

  it('keeps int64 ids past 2^53 exact, joins first and last names, and keeps custom answers but not the zip code', () => {
    const [record] = parse('lead-form-int64-ids.json').records;
    expect(record!.record).toMatchObject({ adId: '9007199254740993', name: 'Ana Souza', phone: '(555) 010-3344', gclid: null, message: 'Which service?: Implants' });
    expect(parseJsonKeepingInt64('{"a":9007199254740993,"b":"9007199254740993","c":1.5,"d":[-12,3e5]}')).toEqual({ a: '9007199254740993', b: '9007199254740993', c: 1.5, d: [-12, 3e5] });
  });

  it('drops “Send test data” submissions unless the connection keeps them', () => {
    expect(parse('lead-form-test-data.json').records).toEqual([]);
    expect((parse('lead-form-test-data.json', { keepTestLeads: true }).records[0]!.record as Lead).id).toBe('gads:leadform:TeSter-0000000000');
  });

  it('checks google_key in constant time; a missing key or another asset’s key is refused', async () => {
    const body = fixture('lead-form-webhook.json');
    const signedRequest: WebhookRequest = { method: 'POST', url: '/hooks/google-ads/lead-form', body, headers: { 'content-type': 'application/json' } };
    await checkWebhookRejectsBadSignatures({
      connector: googleAds, webhook: 'lead-form', settings, otherSettings: { ...settings, leadFormKey: 'another-asset-key-1111' },
      signedRequest, signatureHeaders: [], bodySigned: false,
      removeSignature: (request) => ({ ...request, body: JSON.stringify({ ...(JSON.parse(request.body) as object), google_key: undefined }) }),
    });
    expect(webhook.verify(signedRequest, { ...settings, leadFormKey: null })).toBe(false);
    expect(webhook.verify({ ...signedRequest, body: 'not json' }, settings)).toBe(false);
  });
});
