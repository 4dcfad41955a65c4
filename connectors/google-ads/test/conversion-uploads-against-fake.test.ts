import { createHttpClient } from '@sourceline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUploadClickConversionsRequest, GoogleAdsClient, googleAdsSettings, type ApiClickConversion } from '../src/index.ts';
import { startGoogleAdsFake, type GoogleAdsFake } from '../fake/index.ts';

let fake: GoogleAdsFake;
let client: GoogleAdsClient;
let settings: ReturnType<typeof googleAdsSettings.parse>;
// Clicks of the test's own: one at noon on 1 March (Chicago), one on 20 March, and a wbraid click.
const clicks = [
  { clickId: 'Cj0KCQjwTESTclickMarch01', clickedAt: '2025-03-01T18:00:00Z' },
  { clickId: 'Cj0KCQjwTESTclickMarch20', clickedAt: '2025-03-20T17:00:00Z' },
  { clickId: 'wbraidTESTclick', clickedAt: '2025-03-01T18:00:00Z' },
];

beforeAll(async () => {
  fake = await startGoogleAdsFake({ seed: 17, clicks, faults: { rate429: 0.05, rate503: 0.05, seed: 3 } });
  settings = googleAdsSettings.parse({
    apiBaseUrl: fake.apiBaseUrl, tokenUrl: fake.tokenUrl, clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret,
    refreshToken: fake.oauth.refreshToken, developerToken: fake.developerToken, customerId: fake.account.customer.id,
  });
  client = new GoogleAdsClient(createHttpClient({ baseBackoffMs: 1, maxBackoffMs: 5, maxAttempts: 8 }), settings);
});
afterAll(() => fake.close());

const action = (attributionModel: string) => fake.account.conversionActions.find((a) => a.attributionModel === attributionModel)!;
const upload = (conversions: ApiClickConversion[], validateOnly = false) =>
  client.uploadClickConversions(buildUploadClickConversionsRequest(settings, { conversions, timeZone: 'America/Chicago', validateOnly }));
const codes = (result: Awaited<ReturnType<typeof upload>>) => result.outcomes.map((o) => (o.accepted ? 'accepted' : o.code));

describe('offline click conversions against the Google Ads fake', () => {
  it('reads a conversion action’s type, attribution model and window, and nothing for an id the account lacks', async () => {
    const external = action('EXTERNAL');
    expect(await client.conversionAction(external.id)).toEqual({
      id: external.id, name: external.name, type: 'UPLOAD_CLICKS', status: 'ENABLED', attributionModelSettings: { attributionModel: 'EXTERNAL' },
      clickThroughLookbackWindowDays: '90',
    });
    expect(await client.conversionAction('999')).toBeNull();
  });

  it('keeps one conversion per order id per action: a second upload of the same orders is refused as already in use', async () => {
    const google = action('GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN');
    const conversions: ApiClickConversion[] = [
      { gclid: clicks[0]!.clickId, conversionActionId: google.id, conversionTime: '2025-03-11T04:59:59Z', valueCents: 120_000, currency: 'USD', orderId: 'new_patient-order-1' },
      { wbraid: clicks[2]!.clickId, conversionActionId: google.id, conversionTime: '2025-03-11T04:59:59Z', valueCents: 5_000, currency: 'USD', orderId: 'new_patient-order-2' },
    ];
    const first = await upload(conversions);
    expect(codes(first)).toEqual(['accepted', 'accepted']);
    expect(first.jobId).toMatch(/^\d+$/);
    const again = await upload(conversions);
    expect(codes(again)).toEqual(['ORDER_ID_ALREADY_IN_USE', 'ORDER_ID_ALREADY_IN_USE']);
    expect(fake.conversions.uploaded.filter((u) => u.conversionActionId === google.id).map((u) => u.orderId)).toEqual(['new_patient-order-1', 'new_patient-order-2']);
    expect(fake.conversions.uploaded.find((u) => u.orderId === 'new_patient-order-1')).toMatchObject({
      clickId: { kind: 'gclid', value: clicks[0]!.clickId }, conversionDateTime: '2025-03-10 23:59:59-05:00', conversionValue: 1200, currencyCode: 'USD',
    });
  });

  it('answers rows it rejects as partial failures and keeps the rest: conversion before the click, unknown click', async () => {
    const google = action('GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN');
    const kept = fake.conversions.uploaded.length;
    const result = await upload([
      { gclid: clicks[1]!.clickId, conversionActionId: google.id, conversionTime: '2025-03-11T04:59:59Z', valueCents: 1, currency: 'USD', orderId: 'before-click' },
      { gclid: 'Cj0KCQjwNOTaCLICKofTHISaccount', conversionActionId: google.id, conversionTime: '2025-03-11T04:59:59Z', valueCents: 1, currency: 'USD', orderId: 'unknown-click' },
      { gclid: clicks[1]!.clickId, conversionActionId: google.id, conversionTime: '2025-03-21T04:59:59Z', valueCents: 1, currency: 'USD', orderId: 'after-click' },
    ]);
    expect(codes(result)).toEqual(['CONVERSION_PRECEDES_EVENT', 'EVENT_NOT_FOUND', 'accepted']);
    expect(fake.conversions.uploaded.length).toBe(kept + 1);
  });

  it('takes credit on an externally attributed action, refuses an order id there, and dedupes it by click and time', async () => {
    const external = action('EXTERNAL');
    const base = { gclid: clicks[0]!.clickId, conversionActionId: external.id, conversionTime: '2025-03-11T04:59:59Z', valueCents: 24_000, currency: 'USD' };
    const credited = { ...base, externalAttribution: { credit: 0.2, model: 'Sourceline Linear' } };
    expect(codes(await upload([{ ...base, orderId: 'x-1' }]))).toEqual(['EXTERNAL_ATTRIBUTION_DATA_NOT_SET_FOR_EXTERNALLY_ATTRIBUTED_CONVERSION_ACTION']);
    expect(codes(await upload([credited]))).toEqual(['accepted']);
    expect(codes(await upload([credited]))).toEqual(['CLICK_CONVERSION_ALREADY_EXISTS']);
    expect(fake.conversions.uploaded.filter((u) => u.conversionActionId === external.id)).toEqual([
      expect.objectContaining({ orderId: null, externalAttribution: { credit: 0.2, model: 'Sourceline Linear' }, conversionValue: 240 }),
    ]);
    const google = action('GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN');
    expect(codes(await upload([{ ...credited, conversionActionId: google.id }]))).toEqual(['EXTERNAL_ATTRIBUTION_DATA_SET_FOR_NON_EXTERNALLY_ATTRIBUTED_CONVERSION_ACTION']);
    expect(codes(await upload([{ ...base, conversionActionId: action('GOOGLE_ADS_LAST_CLICK').id, orderId: 'tag' }]))).toEqual(['INVALID_CONVERSION_ACTION']);
  });

  it('checks a dry run without keeping it', async () => {
    const google = action('GOOGLE_SEARCH_ATTRIBUTION_DATA_DRIVEN');
    const kept = fake.conversions.uploaded.length;
    const result = await upload([{ gclid: clicks[1]!.clickId, conversionActionId: google.id, conversionTime: '2025-03-25T04:59:59Z', valueCents: 1, currency: 'USD', orderId: 'dry-run' }], true);
    expect(codes(result)).toEqual(['accepted']);
    expect(fake.conversions.uploaded.length).toBe(kept);
    expect(fake.conversions.requests.at(-1)).toMatchObject({ validateOnly: true, partialFailure: true });
  });

  it('says what to fix when Google refuses the developer token', async () => {
    const refused = new GoogleAdsClient(createHttpClient({ baseBackoffMs: 1, maxAttempts: 8 }), { ...settings, developerToken: 'not-approved' });
    await expect(refused.conversionAction(action('EXTERNAL').id)).rejects.toThrow(/DEVELOPER_TOKEN_NOT_APPROVED.*developer token/);
  });
});
