import { readFileSync } from 'node:fs';
import { checkWebhookRejectsBadSignatures } from '@sourceline/sdk/testkit';
import type { Lead } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import gravityForms, { gravityFormsSettings, parseEntryDelivery } from '../src/index.ts';

const fixture = (name: string) => ({ body: readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'), name });
const fixtureSettings = JSON.parse(fixture('settings.json').body) as Record<string, unknown>;
const settings = gravityFormsSettings.parse({ ...fixtureSettings, webhookSecret: 'bayside-gf-secret-0000' });
const leadsOf = (name: string) => parseEntryDelivery(fixture(name), settings).records.map((r) => r.record as Lead);

describe('Gravity Forms entries', () => {
  it('maps the spec’s All Fields body: name inputs 1.3/1.6, UTMs and gclid from hidden fields, UTC date_created', () => {
    const result = parseEntryDelivery(fixture('entry-all-fields.json'), settings);
    expect(result.issues).toEqual([]);
    expect(result.records).toEqual([{
      kind: 'lead',
      record: {
        id: 'gf:bayside-smiles.example:1842', occurredAt: '2025-03-14T16:02:11.000Z', kind: 'form', channel: null,
        source: 'google', medium: 'cpc', campaign: 'spring-invisalign-2025', adGroup: null, keyword: 'invisalign cost near me',
        gclid: 'EAIaIQobChMIfake0gclid0value', name: 'Dana Whitfield', phone: '(555) 010-4477', email: 'dana.w@example.com',
        landingPage: 'https://www.bayside-smiles.example/invisalign/?utm_source=google&utm_medium=cpc', message: 'Invisalign consultation',
        durationSeconds: null, locationId: null, referrer: null, clickIds: null, trackingNumber: null, sourceLabel: null, campaignId: null,
        adId: null, isFirstContact: null,
      },
    }]);
  });

  it('reads numbers sent as numbers, trims inputs, treats "" as empty and fills UTMs from the landing page', () => {
    const [lead] = leadsOf('entry-quirks.json');
    expect(lead).toMatchObject({
      id: 'gf:bayside-smiles.example:1843', name: 'Rosa Delgado-Núñez', phone: '5550107123', email: null, message: null,
      source: 'google', medium: 'organic', campaign: 'gbp-listing', gclid: null, referrer: 'https://www.google.com/',
    });
  });

  it('takes several entries in one delivery, each with its own form’s map, and flags a form without one', () => {
    const result = parseEntryDelivery(fixture('entries-batch.json'), settings);
    expect(result.records.map((r) => (r.record as Lead).id)).toEqual(['gf:bayside-smiles.example:2210', 'gf:bayside-smiles.example:2211']);
    expect(result.records[0]!.record).toMatchObject({ name: 'Marcus Lee', email: 'M.Lee@Example.com', phone: '555.010.7788', clickIds: { fbclid: 'IwAR0fake' } });
    expect(result.records[1]!.record).toMatchObject({ name: null, email: null });
    expect(result.issues).toEqual([expect.objectContaining({ record: 'entry 2211', field: 'form_id' })]);
  });

  it('withdraws entries marked spam or trash when they are delivered again', () => {
    const result = parseEntryDelivery(fixture('entries-rest-collection.json'), settings);
    expect(result.records.map((r) => (r.record as Lead).id)).toEqual(['gf:bayside-smiles.example:1844']);
    expect(result.removed).toEqual([{ kind: 'lead', ids: ['gf:bayside-smiles.example:1845'] }]);
  });

  it('maps a Select Fields feed by the keys the site chose, msclkid included', () => {
    const [lead] = leadsOf('entry-select-fields.json');
    expect(lead).toMatchObject({ name: 'Priya Natarajan', source: 'bing', medium: 'cpc', clickIds: { msclkid: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' } });
  });

  it('is idempotent by entry id: the same entry always yields the same lead id, namespaced by site', () => {
    const again = parseEntryDelivery(fixture('entry-all-fields.json'), { ...settings, siteUrl: 'https://www.other-practice.example' });
    expect((again.records[0]!.record as Lead).id).toBe('gf:other-practice.example:1842');
    expect(leadsOf('entry-all-fields.json')).toEqual(leadsOf('entry-all-fields.json'));
  });

  it('reports a body that is not JSON or not an entry by field, never by value', () => {
    expect(parseEntryDelivery({ body: 'first=Dana', name: 'form-encoded' }, settings).issues).toEqual([{ record: 'form-encoded', field: '(body)', message: 'not JSON' }]);
    const issues = parseEntryDelivery({ body: JSON.stringify({ id: '9', form_id: '3', date_created: '14/03/2025', '2': 'dana.w@example.com' }), name: 'bad' }, settings).issues;
    expect(issues).toEqual([expect.objectContaining({ record: 'bad', field: 'date_created' })]);
    expect(JSON.stringify(issues)).not.toContain('dana');
  });
});

describe('Gravity Forms shared-secret header', () => {
  const body = fixture('entry-all-fields.json').body;
  const signed = { method: 'POST', url: '/hooks/gravity-forms/entry', body, headers: { 'content-type': 'application/json', 'x-sourceline-token': settings.webhookSecret } };

  it('accepts the secret and rejects a missing or different one (the body itself is not signed)', async () => {
    await checkWebhookRejectsBadSignatures({
      connector: gravityForms, webhook: 'entry', settings, otherSettings: { ...settings, webhookSecret: 'another-site-secret-1111' },
      signedRequest: signed, signatureHeaders: ['x-sourceline-token'], bodySigned: false,
    });
  });

  it('accepts Authorization: Bearer when the feed is set up that way', () => {
    const bearer = { ...settings, secretHeader: 'Authorization' };
    const webhook = gravityForms.webhooks[0]!;
    expect(webhook.verify({ ...signed, headers: { authorization: `Bearer ${settings.webhookSecret}` } }, bearer)).toBe(true);
    expect(webhook.verify({ ...signed, headers: { authorization: 'Bearer nope' } }, bearer)).toBe(false);
  });
});
