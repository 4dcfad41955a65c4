import type { AttributionModelId } from '../../attribution/attribution-settings.ts';
import { listAttributedPatients, type AttributedPatient } from '../../attribution/practice/attributed-patients.ts';
import type { RollupChannel } from '../../attribution/rollups.ts';
import {
  campaignPerformance,
  channelPerformance,
  databaseReads,
  modelOf,
  practiceTotals,
  type PerformanceFigures,
  type PerformanceQuery,
  type PerformanceReads,
} from '../../reports/practice-performance.ts';
import { agencyConsole, type AgencyConsoleRow } from '../../reports/agency-console.ts';
import { dataQuality, type DataQualityIssue } from '../../reports/data-quality.ts';
import { findMonthSnapshot, freezeMonth, listMonthSnapshots, monthDrift, monthFigures, todayIn, type MonthDrift, type MonthSnapshot } from '../../reports/month-snapshots.ts';
import { parseDayRange, type DayRange } from '../../reports/report-range.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { AttributionModelEnum, reportChannelName, ReportChannelEnum } from './attribution.ts';
import { PatientRef, patientLoader } from './patient.ts';
import { AgencyRef, LocationRef, PracticeRef } from './refs.ts';

const FiguresRef = builder.objectRef<PerformanceFigures>('PerformanceFigures').implement({
  description: 'Leads, patients and revenue credited under one model, with spend. Money in cents (Float: sums can pass 2³¹).',
  fields: (t) => ({
    leads: t.exposeFloat('leads', { description: 'New leads: first contacts of an episode (repeat contacts are not counted again).' }),
    linkedLeads: t.exposeFloat('linkedLeads', { description: 'Of the new leads, those matching linked to a patient (as of the last attribution run).' }),
    newPatients: t.exposeFloat('newPatients', { description: 'Whole new patients (first visits), each under its primary channel.' }),
    creditedPatients: t.exposeFloat('creditedPatients', { description: 'Patients credited under the model: fractional when several channels share one.' }),
    productionCents: t.exposeFloat('productionCents', { description: 'Credited production, first visit plus follow-on (levels 1 and 2).' }),
    productionLevel1Cents: t.exposeFloat('productionLevel1Cents', { description: 'The first visit.' }),
    productionLevel2Cents: t.exposeFloat('productionLevel2Cents', { description: 'Follow-on treatment within the window.' }),
    productionLevel3Cents: t.exposeFloat('productionLevel3Cents', { description: 'Major procedures (inside levels 1 and 2).' }),
    collectionsCents: t.exposeFloat('collectionsCents'),
    spendCents: t.exposeFloat('spendCents'),
    costPerLeadCents: t.exposeFloat('costPerLeadCents', { nullable: true }),
    costPerPatientCents: t.exposeFloat('costPerPatientCents', { nullable: true, description: 'Spend per credited patient.' }),
    returnOnSpend: t.exposeFloat('returnOnSpend', { nullable: true, description: 'Credited production per dollar of spend.' }),
  }),
});

const ChannelPerformanceRef = builder.objectRef<PerformanceFigures & { channel: RollupChannel }>('ChannelPerformance').implement({
  fields: (t) => ({
    channel: t.field({ type: ReportChannelEnum, resolve: (c) => c.channel }),
    name: t.string({ resolve: (c) => reportChannelName(c.channel) }),
    figures: t.field({ type: FiguresRef, resolve: (c) => c }),
  }),
});

const CampaignPerformanceRef = builder.objectRef<PerformanceFigures & { channel: RollupChannel; campaign: string | null }>('CampaignPerformance').implement({
  fields: (t) => ({
    channel: t.field({ type: ReportChannelEnum, resolve: (c) => c.channel }),
    campaign: t.exposeString('campaign', { nullable: true, description: 'Null: leads and patients with no campaign recorded.' }),
    figures: t.field({ type: FiguresRef, resolve: (c) => c }),
  }),
});

interface PracticePerformanceParent {
  practiceId: string;
  query: PerformanceQuery & { model: AttributionModelId };
  current: PerformanceFigures;
  previous: PerformanceFigures;
  previousRange: DayRange;
}

const PracticePerformanceRef = builder.objectRef<PracticePerformanceParent>('PracticePerformance').implement({
  description: 'A practice’s marketing results for a range of days (in its time zone), compared with the period just before.',
  fields: (t) => ({
    from: t.string({ resolve: (p) => p.query.from }),
    to: t.string({ resolve: (p) => p.query.to }),
    previousFrom: t.string({ resolve: (p) => p.previousRange.from }),
    previousTo: t.string({ resolve: (p) => p.previousRange.to }),
    model: t.field({ type: AttributionModelEnum, resolve: (p) => p.query.model }),
    totals: t.field({ type: FiguresRef, resolve: (p) => p.current }),
    previous: t.field({ type: FiguresRef, description: 'The same length of time just before `from`.', resolve: (p) => p.previous }),
    channels: t.field({
      type: [ChannelPerformanceRef],
      description: 'Per channel, most revenue first; UNATTRIBUTED holds new patients no touch explains.',
      resolve: (p, _args, ctx) => ctx.tenant((tx) => channelPerformance(tx, p.practiceId, p.query, requestReads(ctx))),
    }),
    campaigns: t.field({
      type: [CampaignPerformanceRef],
      args: { channel: t.arg({ type: ReportChannelEnum }) },
      resolve: (p, args, ctx) => ctx.tenant((tx) => campaignPerformance(tx, p.practiceId, { ...p.query, channel: args.channel })),
    }),
  }),
});

/**
 * The reports' reads, once per request whichever of the dashboard's fields asks first: the default model, a range's
 * rollups by channel or its totals, and its spend.
 */
const requestReads = (ctx: GraphQLContext): PerformanceReads => {
  const key = (practiceId: string, range: PerformanceQuery) => `${practiceId}:${range.from}:${range.to}:${range.locationId ?? 'all'}`;
  return {
    model: (tx, practiceId, asked) => (asked ? Promise.resolve(asked) : ctx.once(`default-model:${practiceId}`, () => modelOf(tx, practiceId))),
    byChannel: (tx, practiceId, model, range) => ctx.once(`rollups-by-channel:${model}:${key(practiceId, range)}`, () => databaseReads.byChannel(tx, practiceId, model, range)),
    totals: (tx, practiceId, model, range) => ctx.once(`rollup-totals:${model}:${key(practiceId, range)}`, () => databaseReads.totals(tx, practiceId, model, range)),
    spend: (tx, practiceId, range) => ctx.once(`spend:${key(practiceId, range)}`, () => databaseReads.spend(tx, practiceId, range)),
    spendCents: (tx, practiceId, range) => ctx.once(`spend-cents:${key(practiceId, range)}`, () => databaseReads.spendCents(tx, practiceId, range)),
  };
};

builder.objectField(PracticeRef, 'performance', (t) =>
  t.field({
    type: PracticePerformanceRef,
    description: 'Leads, new patients, revenue and spend from `from` to `to` (YYYY-MM-DD, inclusive, at most three years). Aggregates: everyone with access.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    args: {
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
      model: t.arg({ type: AttributionModelEnum, description: 'The practice’s default model when absent.' }),
      locationId: t.arg.globalID({ for: LocationRef, description: 'One location; every location when absent.' }),
    },
    resolve: async (practice, args, ctx) => {
      const range = parseDayRange(args.from, args.to);
      const query = { ...range, model: args.model, locationId: args.locationId?.id ?? null };
      const totals = await ctx.tenant((tx) => practiceTotals(tx, practice.id, query, requestReads(ctx)));
      return { practiceId: practice.id, query: { ...query, model: totals.model }, current: totals.current, previous: totals.previous, previousRange: totals.previousRange };
    },
  }),
);

const SyncStatusEnum = builder.enumType('SyncHealth', {
  values: {
    NONE: { value: 'none', description: 'No connection yet.' },
    OK: { value: 'ok' },
    NEW: { value: 'new', description: 'Connected, not synced yet.' },
    RATE_LIMITED: { value: 'rate_limited' },
    ERROR: { value: 'error' },
    AUTH_FAILED: { value: 'auth_failed', description: 'A source rejected its credentials: someone must fix them.' },
  } as const,
});

const ConsoleRowRef = builder.objectRef<AgencyConsoleRow>('AgencyPracticePerformance').implement({
  fields: (t) => ({
    practice: t.field({ type: PracticeRef, resolve: (r) => r.practice }),
    figures: t.field({ type: FiguresRef, resolve: (r) => r.figures }),
    matchRate: t.float({ nullable: true, description: 'Share of new leads in the range linked to a patient (linkedLeads / leads); null without leads.', resolve: (r) => r.matchRate }),
    syncHealth: t.field({ type: SyncStatusEnum, description: 'The worst of the practice’s active connections.', resolve: (r) => r.health.status }),
    lastSyncedAt: t.field({ type: 'DateTime', nullable: true, description: 'When its stalest connection last synced.', resolve: (r) => r.health.lastSyncedAt }),
    trend: t.floatList({ description: 'New patients in twelve equal slices of the range, oldest first (a sparkline).', resolve: (r) => r.trend }),
  }),
});

builder.objectField(AgencyRef, 'practicePerformance', (t) =>
  t.field({
    type: [ConsoleRowRef],
    description: 'Every practice of the agency you can see, with its figures for the range: the agency console.',
    args: {
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
      model: t.arg({ type: AttributionModelEnum, description: 'Each practice’s own default model when absent.' }),
    },
    resolve: (agency, args, ctx) => ctx.tenant((tx) => agencyConsole(tx, agency.id, { ...parseDayRange(args.from, args.to), model: args.model })),
  }),
);

const AttributedPatientOrderEnum = builder.enumType('AttributedPatientOrder', {
  values: {
    PRODUCTION: { value: 'production' },
    FIRST_VISIT: { value: 'first-visit' },
    FIRST_CONTACT: { value: 'first-contact' },
    SHARE: { value: 'share', description: 'The channel’s part of the patient under the model.' },
    STAGE: { value: 'stage', description: 'Seen, then in treatment (descending: in treatment first).' },
    CONFIDENCE: { value: 'confidence', description: 'The strongest lead link’s confidence; patients without a linked lead last.' },
  } as const,
});

const PatientStageEnum = builder.enumType('PatientStage', {
  values: {
    SEEN: { value: 'seen', description: 'Had a first visit.' },
    TREATMENT: { value: 'treatment', description: 'Came back for follow-on treatment.' },
  } as const,
});

const AttributedPatientRef = builder.objectRef<AttributedPatient>('AttributedPatient').implement({
  fields: (t) => ({
    patient: t.field({ type: PatientRef, nullable: true, resolve: (a, _args, ctx) => patientLoader(ctx).load(a.patientId) }),
    firstVisitOn: t.exposeString('firstVisitOn'),
    firstContactOn: t.exposeString('firstContactOn', { nullable: true, description: 'The channel’s first touch; null for the unattributed.' }),
    share: t.exposeFloat('share', { description: 'The channel’s part of the patient under the model, 0–1.' }),
    campaigns: t.exposeStringList('campaigns'),
    adGroups: t.exposeStringList('adGroups'),
    keywords: t.exposeStringList('keywords'),
    productionCents: t.exposeFloat('productionCents', { description: 'First visit and follow-on treatment.' }),
    stage: t.field({ type: PatientStageEnum, resolve: (a) => a.status }),
    confidence: t.exposeFloat('confidence', { nullable: true, description: 'The strongest lead link’s confidence; null without a linked lead.' }),
  }),
});

const AttributedPatientPageRef = builder.simpleObject('AttributedPatientPage', {
  fields: (t) => ({ total: t.int(), items: t.field({ type: [AttributedPatientRef] }) }),
});

builder.objectField(PracticeRef, 'attributedPatients', (t) =>
  t.field({
    type: AttributedPatientPageRef,
    description: 'A channel’s drill-down: new patients whose first visit fell in the range and whom the channel touched before it. Analysts and admins.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'analyst' } }),
    args: {
      channel: t.arg({ type: ReportChannelEnum, required: true }),
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
      model: t.arg({ type: AttributionModelEnum }),
      locationId: t.arg.globalID({ for: LocationRef }),
      orderBy: t.arg({ type: AttributedPatientOrderEnum, defaultValue: 'production' }),
      descending: t.arg.boolean({ defaultValue: true }),
      first: t.arg.int({ defaultValue: 25, description: 'At most 100.' }),
      offset: t.arg.int({ defaultValue: 0 }),
    },
    resolve: async (practice, args, ctx) => {
      const range = parseDayRange(args.from, args.to);
      return ctx.tenant(async (tx) =>
        listAttributedPatients(tx, {
          practiceId: practice.id,
          channel: args.channel,
          model: await modelOf(tx, practice.id, args.model),
          ...range,
          locationId: args.locationId?.id ?? null,
          order: args.orderBy ?? 'production',
          descending: args.descending ?? true,
          limit: Math.min(Math.max(args.first ?? 25, 1), 100),
          offset: Math.max(args.offset ?? 0, 0),
        }),
      );
    },
  }),
);

interface MonthEndRow {
  practiceId: string;
  month: string;
  over: boolean;
  snapshot: MonthSnapshot | null;
}

const MonthDriftRef = builder.objectRef<MonthDrift>('MonthDrift').implement({
  description: 'What late data changed since the month was frozen (today’s figures less the frozen ones).',
  fields: (t) => ({
    leads: t.exposeFloat('leads'),
    newPatients: t.exposeFloat('newPatients'),
    creditedPatients: t.exposeFloat('creditedPatients'),
    productionCents: t.exposeFloat('productionCents'),
    spendCents: t.exposeFloat('spendCents'),
  }),
});

const MonthSnapshotRef = builder.objectRef<MonthSnapshot & { practiceId: string }>('MonthSnapshot').implement({
  description: 'A month’s figures as frozen at close: immutable, with their SHA-256.',
  fields: (t) => ({
    model: t.field({ type: AttributionModelEnum, resolve: (s) => s.figures.model }),
    totals: t.field({ type: FiguresRef, resolve: (s) => s.figures.totals }),
    channels: t.field({ type: [ChannelPerformanceRef], resolve: (s) => s.figures.channels }),
    contentHash: t.exposeString('contentHash', { description: 'Hex SHA-256 of the frozen figures.' }),
    intact: t.exposeBoolean('intact', { description: 'The stored figures still hash to the stored hash.' }),
    frozenAt: t.expose('frozenAt', { type: 'DateTime' }),
    drift: t.field({ type: MonthDriftRef, resolve: (s, _args, ctx) => ctx.tenant((tx) => monthDrift(tx, s.practiceId, s)) }),
  }),
});

const MonthEndRowRef = builder.objectRef<MonthEndRow>('MonthEnd').implement({
  fields: (t) => ({
    month: t.exposeString('month', { description: 'YYYY-MM.' }),
    over: t.exposeBoolean('over', { description: 'The month has ended in the practice’s time zone: it may be frozen.' }),
    snapshot: t.field({ type: MonthSnapshotRef, nullable: true, description: 'Null until the month is frozen.', resolve: (r) => (r.snapshot ? { ...r.snapshot, practiceId: r.practiceId } : null) }),
    live: t.field({
      type: FiguresRef,
      description: 'The month’s figures now, under the practice’s default model.',
      resolve: async (r, _args, ctx) => (await ctx.tenant((tx) => monthFigures(tx, r.practiceId, r.month))).totals,
    }),
  }),
});

builder.objectField(PracticeRef, 'monthEnd', (t) =>
  t.field({
    type: [MonthEndRowRef],
    description: 'The last months (this one first), each frozen or open. Aggregates: everyone with access.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    args: { last: t.arg.int({ defaultValue: 12, description: 'At most 36.' }) },
    resolve: (practice, args, ctx) =>
      ctx.tenant(async (tx) => {
        const today = todayIn(practice.timeZone);
        const snapshots = new Map((await listMonthSnapshots(tx, practice.id)).map((s) => [s.month, s]));
        const [y, m] = today.split('-').map(Number) as [number, number];
        return Array.from({ length: Math.min(Math.max(args.last ?? 12, 1), 36) }, (_, i) => {
          const month = new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 7);
          return { practiceId: practice.id, month, over: i > 0, snapshot: snapshots.get(month) ?? null };
        });
      }),
  }),
);

builder.objectField(PracticeRef, 'monthSnapshot', (t) =>
  t.field({
    type: MonthSnapshotRef,
    nullable: true,
    description: 'One month’s frozen figures (month as YYYY-MM), or null while it is open: dashboards showing a closed month say so. Aggregates: everyone with access.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    args: { month: t.arg.string({ required: true }) },
    resolve: async (practice, args, ctx) => {
      const snapshot = await ctx.tenant((tx) => findMonthSnapshot(tx, practice.id, args.month));
      return snapshot ? { ...snapshot, practiceId: practice.id } : null;
    },
  }),
);

builder.mutationField('freezeMonth', (t) =>
  t.field({
    type: MonthEndRowRef,
    description: 'Admins: close a month that is over. Its figures are stored for good with their hash; later views show any drift. Audited.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: { practiceId: t.arg.globalID({ required: true, for: PracticeRef }), month: t.arg.string({ required: true, description: 'YYYY-MM.' }) },
    resolve: (_root, args, ctx) =>
      ctx.tenant(async (tx, principal) => {
        const snapshot = await freezeMonth(tx, principal, { practiceId: args.practiceId.id, month: args.month, origin: ctx.origin });
        return { practiceId: args.practiceId.id, month: snapshot.month, over: true, snapshot };
      }),
  }),
);

const DataQualityIssueRef = builder.objectRef<DataQualityIssue>('DataQualityIssue').implement({
  description: 'Something in the data that makes a range’s figures less trustworthy, and what to do about it.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'unmatched-leads, review-queue, leads-without-source, sync-problem, lead-gap, unattributed-patients, lead-drop or lead-spike.' }),
    severity: t.exposeString('severity', { description: 'critical, warning or info.' }),
    count: t.exposeInt('count'),
    title: t.exposeString('title'),
    action: t.exposeString('action'),
  }),
});

builder.objectField(PracticeRef, 'dataQuality', (t) =>
  t.field({
    type: [DataQualityIssueRef],
    description: 'What to look at before trusting the range’s figures, most severe first. Counts only: everyone with access.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    args: {
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
      locationId: t.arg.globalID({ for: LocationRef, description: 'One location’s leads and patients; syncs and the review queue stay practice-wide.' }),
    },
    resolve: (practice, args, ctx) =>
      ctx.tenant((tx) => dataQuality(tx, practice.id, { ...parseDayRange(args.from, args.to), locationId: args.locationId?.id ?? null }, requestReads(ctx))),
  }),
);
