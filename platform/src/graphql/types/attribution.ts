import { encodeGlobalID } from '@pothos/plugin-relay';
import { describePrimaryAndContributing } from '../../attribution/primary-contributing.ts';
import { attributionModelIds, attributionModelNames, type AttributionModelId } from '../../attribution/attribution-settings.ts';
import { queueAttribution } from '../../attribution/practice/attribution-job.ts';
import { attributionSettingsOf, updateAttributionSettings, type EditableAttributionSettings } from '../../attribution/practice/attribution-settings-store.ts';
import { addManualTouchpoint, listManualTouchpoints, removeManualTouchpoint, type ManualTouchpointItem } from '../../attribution/practice/manual-touchpoints.ts';
import { patientAttributions, type StoredPatientAttribution, type StoredTouchpoint } from '../../attribution/practice/patient-attribution.ts';
import type { MarkovChannelCredit, StoredMarkovFit } from '../../attribution/markov.ts';
import { channelDisplayNames, ChannelId } from '../../channels/index.ts';
import { builder } from '../builder.ts';
import { roleOnRow } from '../row-scopes.ts';
import { requestLoader } from '../request-loader.ts';
import { ChannelEnum } from './channel.ts';
import { PatientRef } from './patient.ts';
import { PracticeRef } from './refs.ts';

const enumName = (id: string) => id.toUpperCase().replace(/-/g, '_');

export const AttributionModelEnum = builder.enumType('AttributionModel', {
  values: Object.fromEntries(attributionModelIds.map((id) => [enumName(id), { value: id, description: attributionModelNames[id] }])) as Record<
    string,
    { value: AttributionModelId; description: string }
  >,
});

/** A report's channel: one of the CRM's channels, or UNATTRIBUTED for patients no recorded touch explains. */
export const ReportChannelEnum = builder.enumType('ReportChannel', {
  values: Object.fromEntries([
    ...ChannelId.options.map((id) => [enumName(id), { value: id, description: channelDisplayNames[id] }]),
    ['UNATTRIBUTED', { value: 'unattributed', description: 'New patients with no marketing touch recorded before the first visit.' }],
  ]) as Record<string, { value: ChannelId | 'unattributed'; description: string }>,
});

export const reportChannelName = (channel: string) => (channel === 'unattributed' ? 'Unattributed' : (channelDisplayNames[channel as ChannelId] ?? channel));

const AttributionSettingsRef = builder.objectRef<EditableAttributionSettings>('AttributionSettings').implement({
  fields: (t) => ({
    defaultModel: t.field({ type: AttributionModelEnum, description: 'The model dashboards show unless another is chosen.', resolve: (s) => s.defaultModel }),
    lookbackDays: t.exposeInt('lookbackDays', { description: 'Touches more than this many days before the first visit earn no credit.' }),
    halfLifeDays: t.exposeFloat('halfLifeDays', { description: 'Time decay: a touch this many days older earns half the credit.' }),
  }),
});

builder.objectField(PracticeRef, 'attributionSettings', (t) =>
  t.field({
    type: AttributionSettingsRef,
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    resolve: (practice, _args, ctx) => ctx.tenant((tx) => attributionSettingsOf(tx, practice.id)),
  }),
);

builder.mutationField('updateAttributionSettings', (t) =>
  t.field({
    type: AttributionSettingsRef,
    description: 'Admins: the default model, lookback window and half-life. Every patient’s credit is recomputed within seconds. Audited.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: {
      practiceId: t.arg.globalID({ required: true, for: PracticeRef }),
      defaultModel: t.arg({ type: AttributionModelEnum }),
      lookbackDays: t.arg.int(),
      halfLifeDays: t.arg.float(),
    },
    resolve: async (_root, args, ctx) => {
      const practiceId = args.practiceId.id;
      const settings = await ctx.tenant((tx, principal) =>
        updateAttributionSettings(tx, principal, {
          practiceId,
          changes: { defaultModel: args.defaultModel ?? undefined, lookbackDays: args.lookbackDays ?? undefined, halfLifeDays: args.halfLifeDays ?? undefined },
          origin: ctx.origin,
        }),
      );
      await queueAttribution(ctx.platform.jobs, practiceId, { delaySeconds: 0 });
      return settings;
    },
  }),
);

const ChannelShareRef = builder.simpleObject('ChannelShare', {
  fields: (t) => ({ channel: t.field({ type: ChannelEnum }), share: t.float({ description: '0–1.' }) }),
});

const TouchpointCreditRef = builder.simpleObject('TouchpointCredit', {
  fields: (t) => ({ model: t.field({ type: AttributionModelEnum }), weight: t.float({ description: 'The touch’s share of the patient under the model, 0–1.' }) }),
});

const TouchpointRef = builder.objectRef<StoredTouchpoint>('Touchpoint').implement({
  description: 'One marketing touch on a patient’s way to the first visit.',
  fields: (t) => ({
    origin: t.exposeString('origin', { description: 'lead, referral-source (how the patient told the practice they heard of it) or manual.' }),
    channel: t.field({ type: ChannelEnum, resolve: (tp) => tp.channel }),
    campaign: t.exposeString('campaign', { nullable: true }),
    adGroup: t.exposeString('adGroup', { nullable: true }),
    keyword: t.exposeString('keyword', { nullable: true }),
    day: t.exposeString('day', { description: 'YYYY-MM-DD in the practice’s zone.' }),
    daysBeforeFirstVisit: t.exposeInt('daysBeforeFirstVisit'),
    credits: t.field({
      type: [TouchpointCreditRef],
      resolve: (tp) => attributionModelIds.map((model) => ({ model, weight: tp.credits[model] ?? 0 })),
    }),
  }),
});

const PatientAttributionRef = builder.objectRef<StoredPatientAttribution>('PatientAttribution').implement({
  description: 'How a new patient is credited: touches, each model’s split, and the revenue that follows it.',
  fields: (t) => ({
    firstVisitOn: t.exposeString('firstVisitOn'),
    primaryChannel: t.field({ type: ReportChannelEnum, resolve: (a) => a.primaryChannel }),
    summary: t.string({ description: 'The plain-language view under the default model.', resolve: (a) => describePrimaryAndContributing(a.primaryContributing) }),
    primary: t.field({ type: ChannelShareRef, nullable: true, resolve: (a) => a.primaryContributing.primary }),
    contributing: t.field({ type: [ChannelShareRef], resolve: (a) => a.primaryContributing.contributing }),
    touchpoints: t.field({ type: [TouchpointRef], resolve: (a) => a.touchpoints }),
    productionLevel1Cents: t.float({ description: 'The first visit.', resolve: (a) => a.productionLevel1Cents }),
    productionLevel2Cents: t.float({ description: 'Follow-on treatment within the window (12 months by default).', resolve: (a) => a.productionLevel2Cents }),
    productionLevel3Cents: t.float({ description: 'Major procedures (implants, orthodontics, crowns…), inside levels 1 and 2.', resolve: (a) => a.productionLevel3Cents }),
    collectionsCents: t.float({ resolve: (a) => a.collectionsLevel1Cents + a.collectionsLevel2Cents }),
  }),
});

const attributionLoader = requestLoader((ctx, ids) => ctx.tenant((tx) => patientAttributions(tx, ids)), (a) => a.patientId);

builder.objectField(PatientRef, 'attribution', (t) =>
  t.field({
    type: PatientAttributionRef,
    nullable: true,
    description: 'Null until the patient has a first visit (and for a moment after, until the next attribution run).',
    resolve: (patient, _args, ctx) => attributionLoader(ctx).load(patient.id),
  }),
);

const MarkovChannelRef = builder.objectRef<MarkovChannelCredit>('MarkovChannel').implement({
  fields: (t) => ({
    channel: t.field({ type: ChannelEnum, resolve: (c) => c.channel }),
    removalEffect: t.exposeFloat('removalEffect', { description: 'How much conversion would drop without the channel, 0–1.' }),
    share: t.exposeFloat('share', { description: 'The channel’s part of every conversion, 0–1.' }),
    shareLow: t.float({ nullable: true, description: 'Bootstrap range (5th percentile).', resolve: (c) => c.shareRange?.low ?? null }),
    shareHigh: t.float({ nullable: true, description: 'Bootstrap range (95th percentile).', resolve: (c) => c.shareRange?.high ?? null }),
  }),
});

const MarkovModelRef = builder.objectRef<StoredMarkovFit & { computedAt: Date }>('MarkovModel').implement({
  description: 'The data-driven model as last fitted: what it was fitted on, and each channel’s removal effect.',
  fields: (t) => ({
    basis: t.exposeString('basis', { description: 'practice, agency-pool, practice-below-minimum or no-paths.' }),
    explanation: t.exposeString('explanation'),
    practiceJourneys: t.exposeInt('practiceJourneys'),
    fittedJourneys: t.exposeInt('fittedJourneys'),
    fittedConversions: t.exposeInt('fittedConversions'),
    channels: t.field({ type: [MarkovChannelRef], resolve: (m) => m.channels }),
    computedAt: t.expose('computedAt', { type: 'DateTime' }),
  }),
});

builder.objectField(PracticeRef, 'markovModel', (t) =>
  t.field({
    type: MarkovModelRef,
    nullable: true,
    description: 'Null until attribution first ran.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    resolve: async (practice, _args, ctx) => {
      const run = await ctx.tenant((tx) => tx.attributionRun.findUnique({ where: { practiceId: practice.id } }));
      return run ? { ...(run.markov as unknown as StoredMarkovFit), computedAt: run.computedAt } : null;
    },
  }),
);

const ManualTouchpointRef = builder.objectRef<ManualTouchpointItem>('ManualTouchpoint').implement({
  description: 'A touch staff entered by hand because no source recorded it. It counts like any other touch.',
  fields: (t) => ({
    id: t.id({ resolve: (m) => encodeGlobalID('ManualTouchpoint', m.id) }),
    occurredOn: t.exposeString('occurredOn', { description: 'YYYY-MM-DD.' }),
    channel: t.field({ type: ChannelEnum, resolve: (m) => m.channel }),
    campaign: t.exposeString('campaign', { nullable: true }),
    hasNote: t.exposeBoolean('hasNote', { description: 'A note was given (kept encrypted).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(PatientRef, 'manualTouchpoints', (t) =>
  t.field({
    type: [ManualTouchpointRef],
    resolve: (patient, _args, ctx) => ctx.tenant((tx) => listManualTouchpoints(tx, [patient.id])),
  }),
);

builder.mutationField('addManualTouchpoint', (t) =>
  t.field({
    type: ManualTouchpointRef,
    description: 'Analysts and admins: record a touch the sources missed ("met at the health fair"). Credit follows within seconds. Audited.',
    authScopes: (_root, args, ctx) =>
      roleOnRow(ctx, 'analyst', (tx) => tx.patient.findFirst({ where: { id: args.patientId.id, deletedAt: null }, select: { practiceId: true } })),
    args: {
      patientId: t.arg.globalID({ required: true, for: PatientRef }),
      occurredOn: t.arg.string({ required: true, description: 'YYYY-MM-DD, not in the future.' }),
      channel: t.arg({ type: ChannelEnum, required: true }),
      campaign: t.arg.string(),
      note: t.arg.string({ description: 'Kept encrypted; at most 500 characters.' }),
    },
    resolve: async (_root, args, ctx) => {
      const added = await ctx.tenant((tx, principal) =>
        addManualTouchpoint(tx, ctx.platform.keys, principal, {
          patientId: args.patientId.id, occurredOn: args.occurredOn, channel: args.channel, campaign: args.campaign, note: args.note, origin: ctx.origin,
        }),
      );
      await queueAttribution(ctx.platform.jobs, added.practiceId, { delaySeconds: 0 });
      return added;
    },
  }),
);

builder.mutationField('removeManualTouchpoint', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Analysts and admins: take a hand-entered touch back. Audited.',
    authScopes: (_root, args, ctx) => roleOnRow(ctx, 'analyst', (tx) => tx.manualTouchpoint.findFirst({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: ManualTouchpointRef }) },
    resolve: async (_root, args, ctx) => {
      const { practiceId } = await ctx.tenant((tx, principal) => removeManualTouchpoint(tx, principal, { id: args.id.id, origin: ctx.origin }));
      await queueAttribution(ctx.platform.jobs, practiceId, { delaySeconds: 0 });
      return true;
    },
  }),
);
