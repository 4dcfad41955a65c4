import type { Lead, RecordKind, RecordOf } from '@sourceline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem, withTenant, withTenantClient } from '../src/db/tenant-transaction.ts';
import { upsertRecords, type RecordTarget } from '../src/records/write-records.ts';
import { dumpAllTables } from './dump.ts';
import { createAgencyWithPractices } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let target: RecordTarget;

async function write<K extends RecordKind>(kind: K, records: RecordOf<K>[]) {
  return withTenantClient(platform.db.app, { practiceIds: [target.practiceId] }, async (client) => {
    const cipher = await withTenant(platform.db.prisma, { practiceIds: [target.practiceId] }, (tx) => platform.keys.cipherFor(tx, target.practiceId));
    return upsertRecords(client, target, cipher, kind, records);
  });
}

const row = async (table: string, sourceId: string) =>
  withSystem(platform.db.owner, async (c) => (await c.query(`SELECT * FROM ${table} WHERE source_id = $1`, [sourceId])).rows[0] as Record<string, unknown>);

const callLead: Lead = {
  id: 'callrail:call:CAL1', occurredAt: '2025-03-14T15:22:05.114Z', kind: 'call', channel: null, source: 'google', medium: 'cpc',
  campaign: 'spring-invisalign-2025', adGroup: null, keyword: null, gclid: 'EAIaIQobChMIfake', name: 'WHITFIELD DANA', phone: '+15550104477',
  email: null, landingPage: null, message: null, durationSeconds: 187, locationId: null, referrer: 'https://www.google.com/',
  clickIds: { fbclid: 'IwAR1' }, trackingNumber: '+15550109001', sourceLabel: 'Google Paid', campaignId: null, adId: null, isFirstContact: false,
};

beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Marketing Agency', ['Marketing Dental']);
  const connectionId = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ id: string }>(`INSERT INTO connections (practice_id, connector_id, display_name, settings_sealed) VALUES ($1, 'google-ads', 'Ads', '\\x00') RETURNING id`, [tenant.practiceIds[0]])).rows[0]!.id,
  );
  target = { practiceId: tenant.practiceIds[0]!, connectionId };
});
afterAll(() => platform.close());

describe('writing lead-source records', () => {
  it('stores a lead’s attribution fields in the clear and its caller only encrypted; a rewrite of the same lead is skipped', async () => {
    expect(await write('lead', [callLead])).toEqual({ inserted: 1, updated: 0, skipped: 0 });
    expect(await write('lead', [callLead])).toEqual({ inserted: 0, updated: 0, skipped: 1 });
    expect(await row('leads', callLead.id)).toMatchObject({
      referrer: 'https://www.google.com/', click_ids: { fbclid: 'IwAR1' }, tracking_number: '+15550109001', source_label: 'Google Paid', is_first_contact: false,
    });
    const dump = await dumpAllTables(platform.db.owner);
    expect(dump).not.toContain('WHITFIELD');
    expect(dump).not.toContain('5550104477');
  });

  it('stores a lead from a connector that predates the new fields with nulls', async () => {
    const { referrer, clickIds, trackingNumber, sourceLabel, campaignId, adId, isFirstContact, ...legacy } = callLead;
    await write('lead', [{ ...legacy, id: 'legacy-1' }]);
    expect(await row('leads', 'legacy-1')).toMatchObject({ referrer: null, click_ids: null, tracking_number: null, is_first_contact: null });
  });

  it('stores ad dimensions, clicks and daily metrics in their own tables', async () => {
    await write('ad-campaign', [{ id: '20000000002', network: 'google-ads', accountId: '1234567890', name: 'Invisalign | Search', status: 'ENABLED', channelType: 'SEARCH' }]);
    await write('ad-group', [{ id: '150000000003', network: 'google-ads', accountId: '1234567890', campaignId: '20000000002', name: 'Invisalign', status: 'ENABLED' }]);
    await write('ad-keyword', [{ id: '150000000003~300', network: 'google-ads', accountId: '1234567890', campaignId: '20000000002', adGroupId: '150000000003', text: 'invisalign cost', matchType: 'PHRASE', status: 'ENABLED' }]);
    await write('ad-click', [{
      id: 'gads:click:g1', network: 'google-ads', accountId: '1234567890', clickId: 'g1', clickedOn: '2025-03-13', campaignId: '20000000002',
      campaignName: 'Invisalign | Search', adGroupId: '150000000003', adGroupName: 'Invisalign', keyword: 'invisalign cost', matchType: 'PHRASE', campaignType: 'SEARCH',
    }]);
    await write('gbp-metric', [{
      id: 'gbp:44:2025-03-13', locationId: '44', date: '2025-03-13', callClicks: 4, websiteClicks: 11, directionRequests: 0, bookings: null,
      messagingClicks: null, impressionsDesktopMaps: null, impressionsDesktopSearch: null, impressionsMobileMaps: null, impressionsMobileSearch: null,
    }]);
    await write('ga4-metric', [{
      id: 'ga4:312:2025-03-13:abc', propertyId: '312', date: '2025-03-13', source: '(direct)', medium: '(none)', campaign: '(direct)', sessions: 31,
      totalUsers: 27, newUsers: 19, engagedSessions: 17, keyEvents: 1,
    }]);
    expect(await row('ad_campaigns', '20000000002')).toMatchObject({ channel_type: 'SEARCH', practice_id: target.practiceId });
    expect(await row('ad_groups', '150000000003')).toMatchObject({ campaign_source_id: '20000000002' });
    expect(await row('ad_keywords', '150000000003~300')).toMatchObject({ keyword_text: 'invisalign cost', ad_group_source_id: '150000000003' });
    expect(await row('ad_clicks', 'gads:click:g1')).toMatchObject({ click_id: 'g1', campaign_type: 'SEARCH' });
    expect(await row('gbp_metrics', 'gbp:44:2025-03-13')).toMatchObject({ location_source_id: '44', call_clicks: 4, bookings: null });
    expect(await row('ga4_metrics', 'ga4:312:2025-03-13:abc')).toMatchObject({ sessions: 31, key_events: 1 });
  });
});
