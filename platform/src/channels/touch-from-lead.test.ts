import type { Lead } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import { classifyLead } from './classify-lead.ts';
import { touchFromLead } from './touch-from-lead.ts';

const base: Lead = {
  id: 'x', occurredAt: '2025-03-14T16:02:11.000Z', kind: 'form', channel: null, source: null, medium: null, campaign: null, adGroup: null,
  keyword: null, gclid: null, name: 'Dana Whitfield', phone: null, email: null, landingPage: null, message: null, durationSeconds: null, locationId: null,
};

describe('stored leads as touches', () => {
  it('knows Meta lead ads and Google lead forms by their connector, and keeps identities out', () => {
    const meta = touchFromLead({ ...base, id: 'meta:lead:1', adId: '120000000000055' }, { connectorId: 'meta-lead-ads' });
    expect(classifyLead(meta)).toMatchObject({ rule: 'R2', channel: 'paid-social' });
    expect(JSON.stringify(meta)).not.toContain('Dana');
    const leadForm = touchFromLead({ ...base, id: 'gads:leadform:abc', source: 'google', medium: 'cpc' }, { connectorId: 'google-ads', adChannelType: 'VIDEO' });
    expect(classifyLead(leadForm)).toMatchObject({ rule: 'R3', channel: 'display' });
  });

  it('reads CallRail’s tracking number and label, and a lead written before those fields existed', () => {
    const call = touchFromLead({ ...base, kind: 'call', trackingNumber: '+15550109090', sourceLabel: 'Google My Business' }, { connectorId: 'callrail' });
    expect(classifyLead(call, { trackingNumbers: { '+15550109090': 'google-business-profile' } })).toMatchObject({ rule: 'R1' });
    expect(classifyLead(touchFromLead(base, { connectorId: 'pms-csv' }))).toMatchObject({ rule: 'R17', channel: 'direct' });
  });
});
