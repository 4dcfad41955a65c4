import { readFileSync } from 'node:fs';
import type { Lead } from '@sourceline/sdk';
import { checkWebhookRejectsBadSignatures } from '@sourceline/sdk/testkit';
import { describe, expect, it } from 'vitest';
import callRail, { callRailSettings, signCallRailBody } from '../src/index.ts';

const fixture = (name: string) => ({ body: readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'), name });
const settings = callRailSettings.parse({ apiKey: 'key', accountId: 'ACC1', signingKey: '072e77e426f92738a72fe23c4d1953b4', locationId: '1' });
const webhook = (name: string) => callRail.webhooks.find((w) => w.name === name)!;
const leadOf = (name: string, file: string) => {
  const result = webhook(name).parse(fixture(file), settings);
  expect(result.issues).toEqual([]);
  return result.records.map((r) => r.record as Lead);
};

describe('CallRail call webhooks', () => {
  it('maps the spec’s post-call body: UTMs, gclid, tracking number, label, duration "187" → 187, first caller', () => {
    expect(leadOf('post-call', 'post-call.json')).toEqual([{
      id: 'callrail:call:CAL5f0c2e9a1b7d4c3e8a6f9b2d1c0e7a44', occurredAt: '2025-03-14T15:22:05.114Z', kind: 'call', channel: null,
      source: 'google', medium: 'cpc', campaign: 'spring-invisalign-2025', adGroup: null, keyword: 'invisalign cost near me',
      gclid: 'EAIaIQobChMIfake0gclid0value', name: 'WHITFIELD DANA', phone: '+15550104477', email: null,
      landingPage: 'https://www.bayside-smiles.example/invisalign/?utm_source=google&utm_medium=cpc&utm_campaign=spring-invisalign-2025',
      message: null, durationSeconds: 187, locationId: '1', referrer: 'https://www.google.com/', clickIds: null,
      trackingNumber: '+15550109001', sourceLabel: 'Google Paid', campaignId: null, adId: null, isFirstContact: true,
    }]);
  });

  it('reads a pre-call with a numeric id as a provisional call of unknown duration from a repeat caller', () => {
    const [lead] = leadOf('pre-call', 'pre-call-numeric-id.json');
    expect(lead).toMatchObject({
      id: 'callrail:call:CALf00dfeed0000000000000000000000aa', durationSeconds: null, isFirstContact: false, trackingNumber: '+15550109090',
      sourceLabel: 'Google My Business', source: null, medium: null, landingPage: null,
    });
    expect(webhook('pre-call').provisional).toBe(true);
    expect(webhook('post-call').provisional).toBeUndefined();
  });

  it('lets call-modified carry the finished call again, reading the gclid from the landing page when the field is absent', () => {
    const [lead] = leadOf('call-modified', 'call-modified.json');
    expect(lead).toMatchObject({ id: 'callrail:call:CAL5f0c2e9a1b7d4c3e8a6f9b2d1c0e7a44', durationSeconds: 187, gclid: 'EAIaIQobChMIfake0gclid0value', referrer: 'www.google.com' });
  });

  it('ignores outbound calls: the practice calling out is not a lead', () => {
    expect(leadOf('post-call', 'outbound-post-call.json')).toEqual([]);
  });

  it('maps a form submission from the site’s own field names, with fbclid and the first-form flag', () => {
    expect(leadOf('form-submission', 'form-submission.json')).toEqual([expect.objectContaining({
      id: 'callrail:form:FOR8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a', kind: 'form', occurredAt: '2025-03-14T23:45:12.000Z', name: 'Priya Natarajan',
      email: 'priya.n@example.com', phone: '555-010-6612', message: 'Can I book a cleaning on Saturday?', source: 'facebook', medium: 'paid_social',
      clickIds: { fbclid: 'IwAR2fake' }, referrer: 'https://l.facebook.com/', isFirstContact: true, sourceLabel: 'Facebook Paid',
    })]);
  });

  it('reports what is not a call by field, without the caller’s details', () => {
    const result = webhook('post-call').parse({ body: JSON.stringify({ id: 'CAL1', start_time: 'yesterday', customer_name: 'WHITFIELD DANA' }), name: 'bad' }, settings);
    expect(result.issues).toEqual([expect.objectContaining({ record: 'bad', field: 'start_time' })]);
    expect(JSON.stringify(result.issues)).not.toContain('WHITFIELD');
  });
});

describe('CallRail signatures: Base64(HMAC-SHA1(signing key, raw body)) in `Signature`', () => {
  const body = fixture('post-call.json').body;
  for (const name of ['pre-call', 'call-routing-complete', 'post-call', 'call-modified', 'form-submission']) {
    it(`${name} accepts CallRail’s signature and rejects tampering, a missing header and another company’s key`, async () => {
      await checkWebhookRejectsBadSignatures({
        connector: callRail, webhook: name, settings, otherSettings: { ...settings, signingKey: 'another-company-key' },
        signedRequest: { method: 'POST', url: `/hooks/callrail/${name}`, body, headers: { 'content-type': 'application/json', signature: signCallRailBody(body, settings.signingKey) } },
        signatureHeaders: ['signature'],
      });
    });
  }

  it('refuses a SHA-256 or hex signature, which some third-party code sends', async () => {
    const { createHmac } = await import('node:crypto');
    const request = (signature: string) => ({ method: 'POST', url: '/', body, headers: { signature } });
    expect(await webhook('post-call').verify(request(createHmac('sha256', settings.signingKey).update(body).digest('base64')), settings)).toBe(false);
    expect(await webhook('post-call').verify(request(createHmac('sha1', settings.signingKey).update(body).digest('hex')), settings)).toBe(false);
  });
});
