import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { leadStages } from '../../attribution/practice/lead-stages.ts';
import { explainChannelRule } from '../../channels/explain-channel-rule.ts';
import { referrerHost } from '../../channels/lead-touch.ts';
import { listChannelRuleRows, overrideRuleOf } from '../../channels/practice-channel-config.ts';
import type { Connection } from '../../generated/prisma/client.ts';
import { findLeads, listLeads, type LeadListItem } from '../../leads/list-leads.ts';
import { readLeadPhi, type LeadPhiField } from '../../leads/read-lead-phi.ts';
import { requirePracticeRole } from '../../tenancy/tenants.ts';
import { builder } from '../builder.ts';
import { PhiBatch } from '../phi-batch.ts';
import { requestLoader } from '../request-loader.ts';
import type { GraphQLContext } from '../context.ts';
import { ChannelEnum } from './channel.ts';
import { ConnectionRef, PracticeRef } from './refs.ts';

export const LeadRef = builder.objectRef<LeadListItem>('Lead');

/** Leads by id, one query per request tick. */
export const leadLoader = requestLoader((ctx, ids) => ctx.tenant((tx) => findLeads(tx, ids)), (l) => l.id);

const LeadContactEnum = builder.enumType('LeadContact', {
  description: 'FIRST_TIME: the first contact of an episode, a new lead. REPEAT: the same person again within the practice’s episode window.',
  values: { FIRST_TIME: { value: 'first-time' }, REPEAT: { value: 'repeat' } } as const,
});

const LeadStatusEnum = builder.enumType('LeadStatus', {
  values: {
    ALL: { value: 'all' },
    UNMATCHED: { value: 'unmatched', description: 'Linked to no patient (waiting for review counts as unmatched).' },
    REPEAT: { value: 'repeat', description: 'Repeat contacts only (not counted as new leads).' },
    NOT_SEEN: { value: 'not-seen', description: 'New leads no patient has come in from yet: the pipeline (stage LEAD or SCHEDULED). Analysts and admins.' },
  } as const,
});

const LeadStageEnum = builder.enumType('LeadStage', {
  description: 'How far a lead got: the funnel from first contact to treatment.',
  values: {
    LEAD: { value: 'lead', description: 'Linked to no chart yet.' },
    SCHEDULED: { value: 'scheduled', description: 'Linked to a chart that has had no first visit yet (front desks open a chart when they book).' },
    SEEN: { value: 'seen', description: 'A linked patient had a first visit.' },
    TREATMENT: { value: 'treatment', description: 'A linked patient came back for follow-on treatment.' },
  } as const,
});

/** Leads' stages by id, one query per request tick. */
const stageLoader = requestLoader((ctx, ids) => ctx.tenant((tx) => leadStages(tx, ids)), (s) => s.leadId);

const LeadFilterInput = builder.inputType('LeadFilter', {
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Leads at or after this instant.' }),
    to: t.field({ type: 'DateTime', description: 'Leads before this instant.' }),
    channel: t.field({ type: ChannelEnum }),
    status: t.field({ type: LeadStatusEnum, defaultValue: 'all' }),
  }),
});

/** Per-request caches, so a page of leads costs one query per connection and practice, not one per lead. */
const requestCaches = new WeakMap<GraphQLContext, { phi: PhiBatch<LeadPhiField>; memo: Map<string, Promise<unknown>> }>();

function cacheOf(ctx: GraphQLContext) {
  let cache = requestCaches.get(ctx);
  if (!cache) {
    const phi = new PhiBatch<LeadPhiField>((practiceId, leadIds, fields) =>
      ctx.tenant((tx, principal) => readLeadPhi(tx, ctx.platform.keys, principal, { practiceId, leadIds, fields, origin: ctx.origin })),
    );
    cache = { phi, memo: new Map() };
    requestCaches.set(ctx, cache);
  }
  return cache;
}

function memo<T>(ctx: GraphQLContext, key: string, load: () => Promise<T>): Promise<T> {
  const { memo: cache } = cacheOf(ctx);
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as Promise<T>;
}

builder.node(LeadRef, {
  description: 'Someone reaching out to the practice — a form, a call, a chat — with its marketing context and channel.',
  id: { resolve: (lead) => lead.id },
  loadOne: (id, ctx) => leadLoader(ctx).load(id),
  fields: (t) => {
    const phi = (field: LeadPhiField, description: string) =>
      t.string({
        nullable: true,
        description: `${description} PHI: analysts and admins only; every read is audited (lead.phi_read).`,
        authScopes: (lead) => ({ practice: { id: lead.practiceId, role: 'analyst' } }),
        resolve: (lead, _args, ctx) => cacheOf(ctx).phi.read(lead, field),
      });
    return {
      occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
      kind: t.exposeString('kind', { description: 'form, call, click-to-call or chat.' }),
      channel: t.field({ type: ChannelEnum, nullable: true, description: 'Null for a moment after the lead lands, until it is classified.', resolve: (l) => l.channel }),
      channelDisplayName: t.exposeString('channelDisplayName', { nullable: true, description: 'The channel’s name, or the practice rule’s display name.' }),
      channelRule: t.exposeString('channelRule', { nullable: true, description: 'The rule that fired: R0…R19, or override:<rule key>.' }),
      channelExplanation: t.string({
        nullable: true,
        description: '"Why this channel", in words.',
        resolve: async (lead, _args, ctx) => {
          if (!lead.channelRule) return null;
          const rules = await memo(ctx, `channel-rules:${lead.practiceId}`, () =>
            ctx.tenant(async (tx) => (await listChannelRuleRows(tx, lead.practiceId)).map(overrideRuleOf)),
          );
          return explainChannelRule(lead.channelRule, rules);
        },
      }),
      source: t.exposeString('source', { nullable: true }),
      medium: t.exposeString('medium', { nullable: true }),
      campaign: t.exposeString('campaign', { nullable: true }),
      adGroup: t.exposeString('adGroup', { nullable: true }),
      keyword: t.exposeString('keyword', { nullable: true }),
      referrerHost: t.string({
        nullable: true,
        // The host only: a referring URL's path and query can carry what a person typed, so they are not shown.
        description: 'The site the visit came from, without path or query.',
        resolve: (l) => referrerHost(l.referrer),
      }),
      durationSeconds: t.exposeInt('durationSeconds', { nullable: true, description: 'Calls only.' }),
      contact: t.field({
        type: LeadContactEnum,
        nullable: true,
        description: 'First-time or repeat, decided from the practice’s own history; null until the lead is processed.',
        resolve: (l) => l.contactType,
      }),
      episodeId: t.string({
        nullable: true,
        description: 'Equal for the contacts of one episode (one person, contacts within the window): count episodes, not leads.',
        resolve: (l) => l.episodeId,
      }),
      stage: t.field({
        type: LeadStageEnum,
        description:
          'How far the lead got: lead, scheduled, seen or in treatment (the furthest of its linked patients). Whether a person came in ' +
          'for care is about the patient: analysts and admins only, as the drill-down.',
        authScopes: (lead) => ({ practice: { id: lead.practiceId, role: 'analyst' } }),
        resolve: async (lead, _args, ctx) => (await stageLoader(ctx).load(lead.id))?.stage ?? 'lead',
      }),
      sourceSaysFirstContact: t.exposeBoolean('sourceSaysFirstContact', {
        nullable: true,
        description: 'The source’s own first-contact flag (CallRail first_call/first_form), kept as evidence.',
      }),
      connection: t.field({
        type: ConnectionRef,
        resolve: (lead, _args, ctx) =>
          memo<Connection>(ctx, `connection:${lead.connectionId}`, () => ctx.tenant((tx) => tx.connection.findUniqueOrThrow({ where: { id: lead.connectionId } }))),
      }),
      name: phi('name', 'The name the person gave (or caller ID).'),
      phone: phi('phone', 'The phone number, as the source sent it.'),
      email: phi('email', 'The e-mail address, as the source sent it.'),
      message: phi('message', 'What the person wrote.'),
    };
  },
});

builder.objectField(PracticeRef, 'leads', (t) =>
  t.connection({
    type: LeadRef,
    description: 'The practice’s leads, newest first. Everyone with access sees them; names, phones, e-mails and messages only analysts and admins.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    args: { filter: t.arg({ type: LeadFilterInput }) },
    resolve: (practice, args, ctx) =>
      resolveCursorConnection({ args, toCursor: (lead: LeadListItem) => lead.id }, ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
        ctx.tenant((tx, principal) => {
          // Who came in for care is about patients: the pipeline is for those who may see them.
          if (args.filter?.status === 'not-seen') requirePracticeRole(principal, practice.id, 'analyst');
          return listLeads(
            tx,
            practice.id,
            { from: args.filter?.from, to: args.filter?.to, channel: args.filter?.channel, status: args.filter?.status },
            { before, after, limit, inverted },
          );
        }),
      ),
  }),
);
