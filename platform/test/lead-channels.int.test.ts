import { readFile } from 'node:fs/promises';
import { isoWithOffset, startCallRailFake, type CallRailFake } from '@sourceline/connector-callrail/fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSettings } from '../src/connections/connection-settings.ts';
import { runSync } from '../src/connections/run-sync.ts';
import { withSystem, withTenant } from '../src/db/tenant-transaction.ts';
import { LEAD_HISTORY_TASK, reprocessLeadHistory } from '../src/leads/lead-history-job.ts';
import { processPendingDeliveries } from '../src/webhooks/process-deliveries.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import type { GraphQLClient } from './graphql-client.ts';
import { addConnection, landLeads, lead, storedLeads } from './leads.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let admin: GraphQLClient;
let callRail: CallRailFake;

const fixture = (connector: string, file: string) => readFile(new URL(`../../connectors/${connector}/fixtures/${file}`, import.meta.url), 'utf8');

async function processReceivedDeliveries(): Promise<void> {
  const rows = await withSystem(platform.db.owner, async (c) => (await c.query<{ connection_id: string }>(`SELECT DISTINCT connection_id FROM webhook_deliveries WHERE status = 'received'`)).rows);
  for (const row of rows) await processPendingDeliveries(platform, { connectionId: row.connection_id, practiceId });
}

const CREATE_RULE = `mutation($p: ID!, $rule: ChannelRuleInput!, $position: Int) {
  createChannelRule(practiceId: $p, rule: $rule, position: $position) { id key position channel displayName conditions { field operator value } }
}`;

const queuedHistoryJobs = async () =>
  (await platform.db.owner.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = $1`, [LEAD_HISTORY_TASK])).rows[0].n as number;

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Channel Agency', ['Channel Dental'])).practiceIds[0]!;
  admin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
  callRail = await startCallRailFake();
});
afterAll(async () => {
  await callRail.close();
  await platform.close();
});

describe('channels on ingest', () => {
  it('classifies a lead landing by webhook and keeps the rule that fired with it', async () => {
    const settings = { ...JSON.parse(await fixture('gravity-forms', 'settings.json')), webhookSecret: 'gf-channel-secret-1234' };
    const { createConnection } = await admin.data<{ createConnection: { webhooks: { name: string; url: string }[] } }>(
      'mutation($p: ID!, $s: String!) { createConnection(practiceId: $p, connectorId: "gravity-forms", settings: $s) { webhooks { name url } } }',
      { p: globalId('Practice', practiceId), s: JSON.stringify(settings) },
    );
    const url = createConnection.webhooks[0]!.url.replace(platform.config.publicUrl, platform.url);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sourceline-token': 'gf-channel-secret-1234' },
      body: await fixture('gravity-forms', 'entry-all-fields.json'),
    });
    expect(response.status).toBe(200);
    await processReceivedDeliveries();

    const stored = (await storedLeads(platform, practiceId)).get('gf:bayside-smiles.example:1842');
    expect(stored).toMatchObject({
      classified_channel: 'paid-search', channel_rule: 'R5', channel_display_name: 'Paid Search', channel_rules_version: '1.0',
      contact_type: 'first-time', settled: true,
    });
    expect(stored?.episode_id).toBe(stored?.id);
  });

  it('classifies every call a CallRail sync brings in, and gives each episode one first-time contact', async () => {
    // The demo world's calls are from 2025; move them into the backfill window of today's sync.
    const shift = Date.now() - 86_400_000 - Math.max(...callRail.calls.map((c) => c.startMs));
    for (const call of callRail.calls) {
      call.startMs += shift;
      call.call.start_time = isoWithOffset(call.startMs, 'America/Chicago');
    }
    const target = await withTenant(platform.db.prisma, { practiceIds: [practiceId] }, async (tx) => {
      const cipher = await platform.keys.cipherFor(tx, practiceId);
      const settings = { baseUrl: callRail.baseUrl, apiKey: callRail.apiKey, accountId: callRail.accountId, companyId: callRail.companyId, signingKey: callRail.signingKey, backfillDays: 200 };
      return tx.connection.create({ data: { practiceId, connectorId: 'callrail', displayName: 'CallRail', settingsSealed: new Uint8Array(sealSettings(cipher, settings)) } });
    });
    const outcome = await runSync(platform, { connectionId: target.id, practiceId, stream: 'calls', trigger: 'manual' });
    expect(outcome.status).toBe('succeeded');

    const calls = await withSystem(platform.db.owner, async (c) =>
      (await c.query(
        `SELECT source_label, classified_channel, channel_rule, episode_id, contact_type FROM leads WHERE connection_id = $1`,
        [target.id],
      )).rows as { source_label: string | null; classified_channel: string | null; channel_rule: string | null; episode_id: string | null; contact_type: string }[],
    );
    expect(calls.length).toBeGreaterThan(50);
    expect(calls.filter((c) => !c.classified_channel || !c.channel_rule || !c.episode_id)).toEqual([]);
    expect(new Set(calls.filter((c) => c.source_label === 'Google My Business').map((c) => c.classified_channel))).toEqual(new Set(['google-business-profile']));
    const firstTimeByEpisode = new Map<string, number>();
    for (const call of calls) firstTimeByEpisode.set(call.episode_id!, (firstTimeByEpisode.get(call.episode_id!) ?? 0) + (call.contact_type === 'first-time' ? 1 : 0));
    expect([...firstTimeByEpisode.values()].every((n) => n === 1)).toBe(true);
    // The world has callers who ring again within weeks: some calls are repeats, and are not counted as new leads.
    expect(calls.some((c) => c.contact_type === 'repeat')).toBe(true);
  });
});

describe('practice channel rules', () => {
  it('beat the defaults for leads that land after them, and reclassify older leads through the history job', async () => {
    const target = await addConnection(platform, practiceId, 'gravity-forms');
    const zocdocLead = lead('gf:zocdoc-1', { source: 'google', medium: 'cpc', gclid: 'EAIaIQ-zocdoc', referrer: 'https://www.zocdoc.com/dentist/1' });
    await landLeads(platform, target, [zocdocLead]);
    expect((await storedLeads(platform, practiceId)).get('gf:zocdoc-1')).toMatchObject({ classified_channel: 'paid-search', channel_rule: 'R5' });

    const jobsBefore = await queuedHistoryJobs();
    const { createChannelRule } = await admin.data<{ createChannelRule: { id: string; position: number; channel: string } }>(CREATE_RULE, {
      p: globalId('Practice', practiceId),
      rule: {
        key: 'zocdoc', description: 'Zocdoc bookings', channel: 'REFERRAL_WEB', displayName: 'Zocdoc',
        conditions: [{ field: 'REFERRER', operator: 'CONTAINS', value: 'zocdoc' }],
      },
    });
    expect(createChannelRule).toMatchObject({ position: 0, channel: 'REFERRAL_WEB' });

    // New leads meet the rule as they land…
    await landLeads(platform, target, [lead('gf:zocdoc-2', { referrer: 'https://zocdoc.com/booking', source: 'google', medium: 'cpc' })]);
    expect((await storedLeads(platform, practiceId)).get('gf:zocdoc-2')).toMatchObject({
      classified_channel: 'referral-web', channel_rule: 'override:zocdoc', channel_display_name: 'Zocdoc', channel_rules_version: '1.1',
    });
    // …while history waits for its job, which the change queued.
    expect((await storedLeads(platform, practiceId)).get('gf:zocdoc-1')).toMatchObject({ channel_rule: 'R5' });
    expect(await queuedHistoryJobs()).toBe(jobsBefore + 1);
    const { node: queued } = await admin.data<{ node: { leadReprocessingRuns: { status: string; reasons: string[] }[] } }>(
      'query($p: ID!) { node(id: $p) { ... on Practice { leadReprocessingRuns { status reasons } } } }',
      { p: globalId('Practice', practiceId) },
    );
    expect(queued.leadReprocessingRuns[0]).toEqual({ status: 'queued', reasons: ['channel-rules'] });

    const run = await reprocessLeadHistory(platform, practiceId);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run!.leadsDone).toBe(run!.leadsTotal);
    expect(run!.leadsDone).toBeGreaterThan(0);
    const leads = await storedLeads(platform, practiceId);
    expect(leads.get('gf:zocdoc-1')).toMatchObject({ classified_channel: 'referral-web', channel_rule: 'override:zocdoc', channel_rules_version: '1.1' });
    expect([...leads.values()].filter((l) => l.channel_rules_version !== '1.1')).toEqual([]);
    // Running it again finds nothing to do.
    expect(await reprocessLeadHistory(platform, practiceId)).toBeNull();

    // Removing the rule is a change too: the history goes back to the defaults.
    await admin.data('mutation($id: ID!) { deleteChannelRule(id: $id) }', { id: createChannelRule.id });
    await reprocessLeadHistory(platform, practiceId);
    expect((await storedLeads(platform, practiceId)).get('gf:zocdoc-1')).toMatchObject({ classified_channel: 'paid-search', channel_rule: 'R5', channel_rules_version: '1.2' });
  });

  it('are kept in order, validated, and every change is audited', async () => {
    const p = globalId('Practice', practiceId);
    const make = (key: string, value: string, position?: number) =>
      admin.data<{ createChannelRule: { id: string } }>(CREATE_RULE, {
        p, position, rule: { key, channel: 'OFFLINE_OTHER', conditions: [{ field: 'LANDING_PAGE', operator: 'REGEX', value }] },
      });
    const radio = (await make('radio', '/radio/?$')).createChannelRule.id;
    const print = (await make('print', '/mailer/?$', 0)).createChannelRule.id;
    const keys = async () =>
      (await admin.data<{ node: { channelRules: { key: string; position: number }[] } }>('query($p: ID!) { node(id: $p) { ... on Practice { channelRules { key position } } } }', { p }))
        .node.channelRules;
    expect(await keys()).toEqual([{ key: 'print', position: 0 }, { key: 'radio', position: 1 }]);

    await admin.data('mutation($p: ID!, $ids: [ID!]!) { reorderChannelRules(practiceId: $p, ids: $ids) { key } }', { p, ids: [radio, print] });
    expect((await keys()).map((k) => k.key)).toEqual(['radio', 'print']);

    expect((await admin.error(CREATE_RULE, { p, rule: { key: 'bad', channel: 'DIRECT', conditions: [{ field: 'SOURCE', operator: 'REGEX', value: '(' }] } })).message)
      .toMatch(/condition 1, value: not a valid regular expression/);
    expect((await admin.error(CREATE_RULE, { p, rule: { key: 'radio', channel: 'DIRECT', conditions: [{ field: 'SOURCE', operator: 'EQUALS', value: 'x' }] } })).code).toBe('CONFLICT');
    expect((await admin.error('mutation($p: ID!, $ids: [ID!]!) { reorderChannelRules(practiceId: $p, ids: $ids) { key } }', { p, ids: [radio] })).code).toBe('BAD_USER_INPUT');

    await admin.data(
      'mutation($id: ID!, $rule: ChannelRuleInput!) { updateChannelRule(id: $id, rule: $rule) { key } }',
      { id: radio, rule: { key: 'radio', channel: 'OFFLINE_OTHER', displayName: 'Radio', conditions: [{ field: 'LANDING_PAGE', operator: 'REGEX', value: '/radio/?$' }] } },
    );
    const viewer = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'viewer']] })).email);
    expect((await viewer.error('mutation($id: ID!) { deleteChannelRule(id: $id) }', { id: print })).code).toBe('FORBIDDEN');

    const actions = await withSystem(platform.db.owner, async (c) =>
      (await c.query<{ action: string }>(`SELECT action FROM audit_log WHERE practice_id = $1 AND action LIKE 'channel_rule%' ORDER BY id`, [practiceId])).rows.map((r) => r.action),
    );
    expect(actions).toEqual(expect.arrayContaining(['channel_rule.created', 'channel_rules.reordered', 'channel_rule.updated', 'channel_rule.deleted']));
  });

  it('read the practice’s tracking numbers and hosts, and a change to them reclassifies too', async () => {
    const target = await addConnection(platform, practiceId, 'callrail');
    await landLeads(platform, target, [lead('callrail:call:billboard', { kind: 'call', trackingNumber: '+16145550199', sourceLabel: 'Billboard I-71' })]);
    expect((await storedLeads(platform, practiceId)).get('callrail:call:billboard')).toMatchObject({ channel_rule: 'R19' });
    const { updateChannelSettings } = await admin.data<{ updateChannelSettings: { trackingNumbers: { number: string; channel: string }[] } }>(
      'mutation($p: ID!, $n: [ChannelTrackingNumberInput!]) { updateChannelSettings(practiceId: $p, trackingNumbers: $n) { trackingNumbers { number channel } } }',
      { p: globalId('Practice', practiceId), n: [{ number: '(614) 555-0199', channel: 'OFFLINE_OTHER' }] },
    );
    expect(updateChannelSettings.trackingNumbers).toEqual([{ number: '6145550199', channel: 'OFFLINE_OTHER' }]);
    await reprocessLeadHistory(platform, practiceId);
    expect((await storedLeads(platform, practiceId)).get('callrail:call:billboard')).toMatchObject({ classified_channel: 'offline-other', channel_rule: 'R1' });
  });
});
