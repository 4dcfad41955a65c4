import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenantClient } from '../src/db/tenant-transaction.ts';
import { reprocessLeadHistory } from '../src/leads/lead-history-job.ts';
import { settleLandedLeads } from '../src/leads/settle-pending-leads.ts';
import { markRecordsDeleted, type RecordTarget } from '../src/records/write-records.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import { addConnection, at, landLeads, lead, storedLeads } from './leads.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
let practiceId: string;
let forms: RecordTarget;
let calls: RecordTarget;

/** Each lead's episode, named by the source id of the episode's first contact, and its contact type. */
async function episodes(...sourceIds: string[]): Promise<Record<string, string>> {
  const leads = await storedLeads(platform, practiceId);
  const sourceIdOf = new Map([...leads.values()].map((l) => [l.id, l.source_id]));
  return Object.fromEntries(
    sourceIds.map((id) => {
      const stored = leads.get(id);
      return [id, stored?.episode_id ? `${sourceIdOf.get(stored.episode_id)} ${stored.contact_type}` : `none ${stored?.contact_type ?? null}`];
    }),
  );
}

beforeAll(async () => {
  platform = await startTestPlatform();
  practiceId = (await createAgencyWithPractices(platform, 'Episode Agency', ['Episode Dental'])).practiceIds[0]!;
  forms = await addConnection(platform, practiceId, 'gravity-forms');
  calls = await addConnection(platform, practiceId, 'callrail');
});
afterAll(() => platform.close());

describe('repeat contacts as episodes', () => {
  it('groups one person’s call, form and chat across sources into one episode: one new lead, two repeats', async () => {
    await landLeads(platform, calls, [lead('call-a1', { kind: 'call', phone: '+16145356162', occurredAt: at(0) })]);
    await landLeads(platform, forms, [lead('form-a2', { phone: '(614) 535-6162', email: 'avery.quinn@gmail.com', occurredAt: at(3) })]);
    await landLeads(platform, forms, [lead('chat-a3', { kind: 'chat', email: 'Avery.Quinn+site@gmail.com', occurredAt: at(10) })]);
    await landLeads(platform, forms, [lead('form-b1', { phone: '+16145351234', occurredAt: at(4) })]);
    expect(await episodes('call-a1', 'form-a2', 'chat-a3', 'form-b1')).toEqual({
      'call-a1': 'call-a1 first-time',
      'form-a2': 'call-a1 repeat',
      'chat-a3': 'call-a1 repeat',
      'form-b1': 'form-b1 first-time',
    });
  });

  it('decides by the platform’s history, not the source’s flag, when the two disagree', async () => {
    await landLeads(platform, calls, [lead('call-c1', { kind: 'call', phone: '+16145352000', isFirstContact: false, occurredAt: at(0) })]);
    await landLeads(platform, calls, [lead('call-c2', { kind: 'call', phone: '+16145352000', isFirstContact: true, occurredAt: at(1) })]);
    await landLeads(platform, calls, [lead('call-anon', { kind: 'call', isFirstContact: false, occurredAt: at(2) })]);
    expect(await episodes('call-c1', 'call-c2', 'call-anon')).toEqual({
      'call-c1': 'call-c1 first-time',
      'call-c2': 'call-c1 repeat',
      // Nothing to look the caller up by: the source's word is all there is.
      'call-anon': 'call-anon repeat',
    });
  });

  it('regroups when an earlier contact arrives late, so it becomes the first-time one', async () => {
    await landLeads(platform, calls, [lead('call-d2', { kind: 'call', phone: '+16145353000', occurredAt: at(20) })]);
    expect(await episodes('call-d2')).toEqual({ 'call-d2': 'call-d2 first-time' });
    await landLeads(platform, forms, [lead('form-d1', { phone: '614-535-3000', occurredAt: at(5) })]);
    expect(await episodes('form-d1', 'call-d2')).toEqual({ 'form-d1': 'form-d1 first-time', 'call-d2': 'form-d1 repeat' });
    // The same delivery again changes nothing.
    await landLeads(platform, forms, [lead('form-d1', { phone: '614-535-3000', occurredAt: at(5) })]);
    expect(await episodes('form-d1', 'call-d2')).toEqual({ 'form-d1': 'form-d1 first-time', 'call-d2': 'form-d1 repeat' });
  });

  it('keeps a contact exactly one window after the previous in the episode, and starts a new one just past it', async () => {
    await landLeads(platform, calls, [
      lead('call-e1', { kind: 'call', phone: '+16145354000', occurredAt: at(0) }),
      lead('call-e2', { kind: 'call', phone: '+16145354000', occurredAt: at(30) }),
      lead('call-e3', { kind: 'call', phone: '+16145354000', occurredAt: at(60, 1_000) }),
    ]);
    expect(await episodes('call-e1', 'call-e2', 'call-e3')).toEqual({
      'call-e1': 'call-e1 first-time',
      'call-e2': 'call-e1 repeat',
      'call-e3': 'call-e3 first-time',
    });
  });

  it('regroups the rest of an episode when its first contact is withdrawn', async () => {
    await landLeads(platform, forms, [
      lead('form-f1', { email: 'rowan.ellis@yahoo.com', occurredAt: at(0) }),
      lead('form-f2', { email: 'rowan.ellis@yahoo.com', occurredAt: at(2) }),
    ]);
    await withTenantClient(platform.db.app, { practiceIds: [practiceId] }, (client) => markRecordsDeleted(client, forms, 'lead', ['form-f1']));
    await settleLandedLeads(platform, practiceId);
    expect(await episodes('form-f1', 'form-f2')).toEqual({ 'form-f1': 'none null', 'form-f2': 'form-f2 first-time' });
  });

  it('regroups the practice’s history when an admin changes the episode window', async () => {
    const admin = await signIn(platform, (await createUser(platform, { practices: [[practiceId, 'admin']] })).email);
    const { updateLeadSettings } = await admin.data<{ updateLeadSettings: { episodeWindowDays: number } }>(
      'mutation($p: ID!) { updateLeadSettings(practiceId: $p, episodeWindowDays: 10) { episodeWindowDays } }',
      { p: globalId('Practice', practiceId) },
    );
    expect(updateLeadSettings.episodeWindowDays).toBe(10);
    const run = await reprocessLeadHistory(platform, practiceId);
    expect(run).toMatchObject({ status: 'succeeded', reasons: ['episode-window'] });
    expect(await episodes('call-e1', 'call-e2', 'call-a1', 'form-a2', 'chat-a3')).toEqual({
      'call-e1': 'call-e1 first-time',
      'call-e2': 'call-e2 first-time',
      'call-a1': 'call-a1 first-time',
      'form-a2': 'call-a1 repeat',
      'chat-a3': 'call-a1 repeat',
    });
    expect((await admin.error('mutation($p: ID!) { updateLeadSettings(practiceId: $p, episodeWindowDays: 0) { episodeWindowDays } }', { p: globalId('Practice', practiceId) })).code)
      .toBe('BAD_USER_INPUT');
  });

  it('leaves no lead pending once landed', async () => {
    expect([...(await storedLeads(platform, practiceId)).values()].filter((l) => !l.settled)).toEqual([]);
  });
});
