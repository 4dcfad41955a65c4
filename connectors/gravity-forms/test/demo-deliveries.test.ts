import { generateWorld, leadSystemOf } from '@sourceline/sdk/testkit';
import type { Lead } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import gravityForms, { gravityFormsSettings } from '../src/index.ts';
import { demoFieldMaps, renderGravityFormsDeliveries } from '../fake/index.ts';

const world = generateWorld({ seed: 7, practices: [{ name: 'Bayside Smiles', timeZone: 'America/Chicago', locations: 1, patients: 300, months: 6 }] });
const practice = world.practices[0]!;
const settings = gravityFormsSettings.parse({ siteUrl: practice.website, webhookSecret: 'demo-gravity-secret-0000', forms: demoFieldMaps });

describe('the demo world’s website forms, delivered as Gravity Forms webhooks', () => {
  const deliveries = renderGravityFormsDeliveries(practice, { webhookSecret: settings.webhookSecret });
  const webhook = gravityForms.webhooks[0]!;

  it('renders every website-form lead once, and each verifies and parses without issues', () => {
    expect(deliveries.length).toBe(practice.leads.filter((l) => leadSystemOf(l) === 'gravity-forms').length);
    expect(deliveries.length).toBeGreaterThan(20);
    for (const { request } of deliveries) {
      expect(webhook.verify(request, settings)).toBe(true);
      expect(webhook.parse({ body: request.body, name: 'delivery' }, settings).issues).toEqual([]);
    }
  });

  it('keeps the lead’s identity and marketing context through both form layouts', () => {
    const truth = new Map(practice.leads.map((l) => [l.id, l]));
    for (const { request, leadId } of deliveries) {
      const lead = webhook.parse({ body: request.body, name: 'delivery' }, settings).records[0]!.record as Lead;
      const demo = truth.get(leadId)!;
      expect(lead.email).toBe(demo.email);
      expect(lead.phone).toBe(demo.phone);
      expect(lead.occurredAt).toBe(new Date(demo.occurredAt.slice(0, 19) + 'Z').toISOString());
      expect(lead.gclid).toBe(demo.gclid);
      if (demo.channel === 'paid-search') expect([lead.source, lead.medium]).toEqual([demo.source, demo.medium]);
    }
  });
});
