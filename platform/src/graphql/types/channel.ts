import { encodeGlobalID } from '@pothos/plugin-relay';
import { ChannelId, channelDisplayNames } from '../../channels/index.ts';
import type { OverrideCondition } from '../../channels/channel-overrides.ts';
import {
  createChannelRule,
  deleteChannelRule,
  reorderChannelRules,
  updateChannelRule,
  type ChannelRuleInput,
} from '../../channels/channel-rule-store.ts';
import { listChannelRuleRows, loadChannelTables, overrideRuleOf, type ChannelTables } from '../../channels/practice-channel-config.ts';
import { updateChannelTables } from '../../channels/update-channel-tables.ts';
import type { ChannelRule as ChannelRuleRow } from '../../generated/prisma/client.ts';
import { changeThenReprocess } from '../../leads/lead-history-job.ts';
import { builder } from '../builder.ts';
import { adminOfRow } from '../row-scopes.ts';
import { PracticeRef } from './refs.ts';

/** `paid-search` ↔ `PAID_SEARCH`. */
const enumName = (id: string) => id.toUpperCase().replace(/-/g, '_');

export const ChannelEnum = builder.enumType('Channel', {
  description: 'The CRM’s channels (lead-sources spec §8.1), in the order reports list them.',
  values: Object.fromEntries(ChannelId.options.map((id) => [enumName(id), { value: id, description: channelDisplayNames[id] }])) as Record<
    string,
    { value: ChannelId; description: string }
  >,
});

const ChannelRuleFieldEnum = builder.enumType('ChannelRuleField', {
  description: 'The lead field a rule condition tests.',
  values: {
    SOURCE: { value: 'source' },
    MEDIUM: { value: 'medium' },
    CAMPAIGN: { value: 'campaign' },
    LANDING_PAGE: { value: 'landingPage' },
    REFERRER: { value: 'referrer' },
  } as const,
});

const ChannelRuleOperatorEnum = builder.enumType('ChannelRuleOperator', {
  description: 'How a condition compares, always case-insensitively.',
  values: { EQUALS: { value: 'equals' }, CONTAINS: { value: 'contains' }, REGEX: { value: 'regex' } } as const,
});

const ChannelRuleConditionRef = builder.objectRef<OverrideCondition>('ChannelRuleCondition');
ChannelRuleConditionRef.implement({
  fields: (t) => ({
    field: t.field({ type: ChannelRuleFieldEnum, resolve: (c) => c.field }),
    operator: t.field({ type: ChannelRuleOperatorEnum, resolve: (c) => c.operator }),
    value: t.exposeString('value'),
  }),
});

export const ChannelRuleRef = builder.objectRef<ChannelRuleRow>('ChannelRule');

builder.node(ChannelRuleRef, {
  description: 'One of a practice’s own channel rules: when every condition holds, the lead gets the channel. Evaluated in position order, before the default rules.',
  id: { resolve: (rule) => rule.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.channelRule.findUnique({ where: { id } })),
  fields: (t) => ({
    key: t.exposeString('ruleKey', { description: 'Short kebab-case id; a lead classified by this rule names `override:<key>`.' }),
    position: t.exposeInt('position', { description: '0 is evaluated first.' }),
    description: t.exposeString('description', { nullable: true }),
    channel: t.field({ type: ChannelEnum, resolve: (rule) => overrideRuleOf(rule).channel }),
    displayName: t.exposeString('displayName', { nullable: true, description: 'Shown instead of the channel’s name, e.g. "Zocdoc".' }),
    conditions: t.field({ type: [ChannelRuleConditionRef], resolve: (rule) => overrideRuleOf(rule).when }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const ChannelRuleConditionInput = builder.inputType('ChannelRuleConditionInput', {
  fields: (t) => ({
    field: t.field({ type: ChannelRuleFieldEnum, required: true }),
    operator: t.field({ type: ChannelRuleOperatorEnum, required: true }),
    value: t.string({ required: true }),
  }),
});

const ChannelRuleInputType = builder.inputType('ChannelRuleInput', {
  fields: (t) => ({
    key: t.string({ required: true }),
    description: t.string(),
    channel: t.field({ type: ChannelEnum, required: true }),
    displayName: t.string(),
    conditions: t.field({ type: [ChannelRuleConditionInput], required: true }),
  }),
});

const TrackingNumberRef = builder.simpleObject('ChannelTrackingNumber', {
  description: 'A static tracking number and the channel every call to it belongs to (rule R1).',
  fields: (t) => ({ number: t.string(), channel: t.field({ type: ChannelEnum }) }),
});

const CallRailLabelRef = builder.simpleObject('ChannelCallRailLabel', {
  description: 'A CallRail source label and its channel (rule R18), added to or correcting the starter table.',
  fields: (t) => ({ label: t.string(), channel: t.field({ type: ChannelEnum }) }),
});

const ChannelSettingsRef = builder.objectRef<{ tables: ChannelTables; rulesRevision: number }>('ChannelSettings');
ChannelSettingsRef.implement({
  description: 'A practice’s channel tables. Every change (here or to its rules) reclassifies its leads.',
  fields: (t) => ({
    trackingNumbers: t.field({
      type: [TrackingNumberRef],
      resolve: (s) => Object.entries(s.tables.trackingNumbers).map(([number, channel]) => ({ number, channel })),
    }),
    ownHosts: t.stringList({ description: 'The practice’s own sites: a referrer there counts as none (rule R17).', resolve: (s) => s.tables.ownHosts }),
    callRailLabels: t.field({
      type: [CallRailLabelRef],
      resolve: (s) => Object.entries(s.tables.callRailLabels).map(([label, channel]) => ({ label, channel })),
    }),
    rulesRevision: t.exposeInt('rulesRevision', { description: 'Moves on with every change to the rules or tables.' }),
  }),
});

const TrackingNumberInput = builder.inputType('ChannelTrackingNumberInput', {
  fields: (t) => ({ number: t.string({ required: true }), channel: t.field({ type: ChannelEnum, required: true }) }),
});
const CallRailLabelInput = builder.inputType('ChannelCallRailLabelInput', {
  fields: (t) => ({ label: t.string({ required: true }), channel: t.field({ type: ChannelEnum, required: true }) }),
});

builder.objectFields(PracticeRef, (t) => ({
  channelRules: t.field({
    type: [ChannelRuleRef],
    description: 'The practice’s own channel rules, in evaluation order.',
    resolve: (practice, _args, ctx) => ctx.tenant((tx) => listChannelRuleRows(tx, practice.id)),
  }),
  channelSettings: t.field({
    type: ChannelSettingsRef,
    resolve: (practice, _args, ctx) => ctx.tenant((tx) => loadChannelTables(tx, practice.id)),
  }),
}));

const ruleInput = (input: typeof ChannelRuleInputType.$inferInput): ChannelRuleInput => ({
  key: input.key,
  description: input.description,
  channel: input.channel,
  displayName: input.displayName,
  conditions: input.conditions,
});

builder.mutationField('createChannelRule', (t) =>
  t.field({
    type: ChannelRuleRef,
    description: 'Admins: add a channel rule (last, or at `position`). The practice’s leads are reclassified in the background.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: {
      practiceId: t.arg.globalID({ required: true, for: PracticeRef }),
      rule: t.arg({ type: ChannelRuleInputType, required: true }),
      position: t.arg.int(),
    },
    resolve: (_root, args, ctx) =>
      changeThenReprocess(ctx, async (tx, principal) => {
        const rule = await createChannelRule(tx, principal, { practiceId: args.practiceId.id, rule: ruleInput(args.rule), position: args.position, origin: ctx.origin });
        return { practiceId: rule.practiceId, result: rule, reasons: ['channel-rules'] };
      }),
  }),
);

builder.mutationField('updateChannelRule', (t) =>
  t.field({
    type: ChannelRuleRef,
    description: 'Admins: change a channel rule; its position stays. The practice’s leads are reclassified in the background.',
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.channelRule.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: ChannelRuleRef }), rule: t.arg({ type: ChannelRuleInputType, required: true }) },
    resolve: (_root, args, ctx) =>
      changeThenReprocess(ctx, async (tx, principal) => {
        const rule = await updateChannelRule(tx, principal, { id: args.id.id, rule: ruleInput(args.rule), origin: ctx.origin });
        return { practiceId: rule.practiceId, result: rule, reasons: ['channel-rules'] };
      }),
  }),
);

builder.mutationField('deleteChannelRule', (t) =>
  t.field({
    type: 'ID',
    description: 'Admins: remove a channel rule; answers its id. The practice’s leads are reclassified in the background.',
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.channelRule.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: ChannelRuleRef }) },
    resolve: (_root, args, ctx) =>
      changeThenReprocess(ctx, async (tx, principal) => {
        const practiceId = await deleteChannelRule(tx, principal, { id: args.id.id, origin: ctx.origin });
        return { practiceId, result: args.id.id, reasons: ['channel-rules'] };
      }).then((id) => encodeGlobalID('ChannelRule', id)),
  }),
);

builder.mutationField('reorderChannelRules', (t) =>
  t.field({
    type: [ChannelRuleRef],
    description: 'Admins: put the practice’s channel rules in a new order (list every rule once). Leads are reclassified.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: {
      practiceId: t.arg.globalID({ required: true, for: PracticeRef }),
      ids: t.arg.globalIDList({ required: true, for: ChannelRuleRef }),
    },
    resolve: (_root, args, ctx) =>
      changeThenReprocess(ctx, async (tx, principal) => {
        const rules = await reorderChannelRules(tx, principal, { practiceId: args.practiceId.id, ids: args.ids.map((id) => id.id), origin: ctx.origin });
        return { practiceId: args.practiceId.id, result: rules, reasons: ['channel-rules'] };
      }),
  }),
);

builder.mutationField('updateChannelSettings', (t) =>
  t.field({
    type: ChannelSettingsRef,
    description: 'Admins: replace the tables given (omitted ones stay). The practice’s leads are reclassified in the background.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: {
      practiceId: t.arg.globalID({ required: true, for: PracticeRef }),
      trackingNumbers: t.arg({ type: [TrackingNumberInput] }),
      ownHosts: t.arg.stringList(),
      callRailLabels: t.arg({ type: [CallRailLabelInput] }),
    },
    resolve: (_root, args, ctx) =>
      changeThenReprocess(ctx, async (tx, principal) => {
        const settings = await updateChannelTables(tx, principal, {
          practiceId: args.practiceId.id,
          change: {
            trackingNumbers: args.trackingNumbers ? Object.fromEntries(args.trackingNumbers.map((n) => [n.number, n.channel])) : null,
            ownHosts: args.ownHosts,
            callRailLabels: args.callRailLabels ? Object.fromEntries(args.callRailLabels.map((l) => [l.label, l.channel])) : null,
          },
          origin: ctx.origin,
        });
        return { practiceId: args.practiceId.id, result: settings, reasons: ['channel-rules'] };
      }),
  }),
);
