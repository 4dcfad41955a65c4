import { encodeGlobalID } from '@pothos/plugin-relay';
import { queueAttributionAfter } from '../../attribution/practice/attribution-job.ts';
import type { ComparisonEvidence, Explanation } from '../../matching/explain.ts';
import { decideMatch, undoMatchDecision } from '../../matching/practice/decide-match.ts';
import { listReviewQueue, matchesOfLeads, matchesOfPatients, type LeadMatchItem, type ReviewQueueItem } from '../../matching/practice/list-matches.ts';
import { queueMatching } from '../../matching/practice/matching-job.ts';
import { matchingStatus, type MatchingStatus } from '../../matching/practice/matching-status.ts';
import { requirePracticeRole } from '../../tenancy/tenants.ts';
import { builder } from '../builder.ts';
import { requestGroupLoader } from '../request-loader.ts';
import { roleOnRow } from '../row-scopes.ts';
import type { GraphQLContext } from '../context.ts';
import { LeadRef, leadLoader } from './lead.ts';
import { PatientRef, patientLoader } from './patient.ts';
import { PracticeRef } from './refs.ts';

const MatchDecisionEnum = builder.enumType('MatchDecision', {
  values: {
    LINK: { value: 'link', description: 'Linked: the lead counts for this patient.' },
    REVIEW: { value: 'review', description: 'Waiting for a person: the evidence is not strong enough either way.' },
  } as const,
});

const MatchMethodEnum = builder.enumType('MatchMethod', {
  description: 'The strongest evidence, in the order offices trust it.',
  values: {
    PHONE: { value: 'phone' },
    EMAIL: { value: 'email' },
    NAME_DATE: { value: 'name_date', description: 'A name, with the timing of the lead against the chart.' },
    HOUSEHOLD: { value: 'household', description: 'Registered with, or in the household of, the person who got in touch.' },
    MANUAL: { value: 'manual', description: 'A person linked them.' },
  } as const,
});

const MatchVerdictEnum = builder.enumType('MatchVerdict', {
  values: { LINK: { value: 'link' }, NOT_A_MATCH: { value: 'not_a_match' } } as const,
});

const ComparisonEvidenceRef = builder.objectRef<ComparisonEvidence>('MatchComparison').implement({
  description: 'One comparison behind a match: what was compared, how it came out, and its weight. Never the values compared.',
  fields: (t) => ({
    comparison: t.exposeString('comparison', { description: 'phone, email, given_name, surname, birthdate, region, timing, household or sequence.' }),
    outcome: t.exposeString('outcome', { description: 'exact, shared, typo, alias, disagree, missing, …' }),
    weight: t.exposeFloat('weight', { description: 'Evidence in bits for the link (positive) or against it (negative); 0 when missing.' }),
  }),
});

const ExplanationRef = builder.objectRef<Explanation>('MatchExplanation').implement({
  description: 'Why the engine decided as it did, comparison by comparison: the weights add up to `totalWeight`.',
  fields: (t) => ({
    role: t.exposeString('role', { description: 'The link the evidence favours: contact (the person who got in touch), booked, or family.' }),
    alternative: t.exposeString('alternative', { description: 'The likeliest non-link reading: relative, dependant or stranger.' }),
    priorWeight: t.exposeFloat('priorWeight', { description: 'Bits before any comparison: how common each reading is among candidates.' }),
    totalWeight: t.exposeFloat('totalWeight'),
    comparisons: t.field({ type: [ComparisonEvidenceRef], resolve: (e) => e.comparisons }),
  }),
});

export const LeadMatchRef = builder.objectRef<LeadMatchItem>('LeadMatch');
LeadMatchRef.implement({
  description: 'A lead linked to a patient, or a pair waiting for review, with the evidence. Analysts and admins.',
  authScopes: (match) => ({ practice: { id: match.practiceId, role: 'analyst' } }),
  fields: (t) => ({
    id: t.id({ description: 'Stable per pair.', resolve: (m) => encodeGlobalID('LeadMatch', `${m.leadId}:${m.patientId}`) }),
    lead: t.field({ type: LeadRef, nullable: true, resolve: (m, _args, ctx) => leadLoader(ctx).load(m.leadId) }),
    patient: t.field({ type: PatientRef, nullable: true, resolve: (m, _args, ctx) => patientLoader(ctx).load(m.patientId) }),
    decision: t.field({ type: MatchDecisionEnum, resolve: (m) => m.decision }),
    confidence: t.exposeFloat('confidence', { description: 'Probability of a link, 0–1; 1 for a manual link.' }),
    method: t.field({ type: MatchMethodEnum, resolve: (m) => m.method }),
    manual: t.exposeBoolean('manual', { description: 'A person decided this pair.' }),
    verdict: t.field({ type: MatchVerdictEnum, nullable: true, description: 'A person’s verdict on the pair, if any.', resolve: (m) => m.verdict }),
    explanation: t.field({ type: ExplanationRef, nullable: true, description: 'Null for a manual link the engine never proposed.', resolve: (m) => m.explanation }),
    matchedAt: t.expose('matchedAt', { type: 'DateTime' }),
  }),
});

const matchesByLead = requestGroupLoader((ctx, ids) => ctx.tenant((tx) => matchesOfLeads(tx, ids)), (m) => m.leadId);
const matchesByPatient = requestGroupLoader((ctx, ids) => ctx.tenant((tx) => matchesOfPatients(tx, ids)), (m) => m.patientId);

builder.objectField(LeadRef, 'matches', (t) =>
  t.field({
    type: [LeadMatchRef],
    description: 'The patients this lead is linked to, and pairs waiting for review. Analysts and admins.',
    authScopes: (lead) => ({ practice: { id: lead.practiceId, role: 'analyst' } }),
    resolve: (lead, _args, ctx) => matchesByLead(ctx).load(lead.id),
  }),
);

builder.objectField(PatientRef, 'matches', (t) =>
  t.field({
    type: [LeadMatchRef],
    description: 'The leads linked to this patient (and pairs waiting for review), oldest lead first.',
    resolve: (patient, _args, ctx) => matchesByPatient(ctx).load(patient.id),
  }),
);

const ReviewQueueItemRef = builder.objectRef<ReviewQueueItem>('ReviewQueueItem').implement({
  fields: (t) => ({
    match: t.field({ type: LeadMatchRef, resolve: (item) => item }),
    revenueAtStakeCents: t.int({ description: 'The patient’s completed production: what a wrong call would misattribute.', resolve: (i) => i.revenueAtStakeCents }),
  }),
});

const ReviewQueueRef = builder.simpleObject('ReviewQueue', {
  fields: (t) => ({ total: t.int(), items: t.field({ type: [ReviewQueueItemRef] }) }),
});

builder.objectField(PracticeRef, 'reviewQueue', (t) =>
  t.field({
    type: ReviewQueueRef,
    description: 'Pairs the engine would not decide alone, most revenue at stake first. Analysts and admins.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'analyst' } }),
    args: {
      first: t.arg.int({ defaultValue: 25, description: 'At most 100.' }),
      offset: t.arg.int({ defaultValue: 0 }),
    },
    resolve: (practice, args, ctx) =>
      ctx.tenant((tx) => listReviewQueue(tx, practice.id, { limit: Math.min(Math.max(args.first ?? 25, 1), 100), offset: Math.max(args.offset ?? 0, 0) })),
  }),
);

const MatchingStatusRef = builder.objectRef<MatchingStatus>('MatchingStatus').implement({
  description: 'How far matching has got for the practice.',
  fields: (t) => ({
    fittedAt: t.expose('fittedAt', { type: 'DateTime', nullable: true, description: 'When the model was last fitted (a full run); null before the first.' }),
    charts: t.exposeInt('charts', { description: 'Charts the model was fitted on.' }),
    leads: t.exposeInt('leads', { description: 'Leads the model was fitted on.' }),
    links: t.exposeInt('links', { description: 'Lead–patient links now.' }),
    review: t.exposeInt('review', { description: 'Pairs waiting for review now.' }),
    pendingLeads: t.exposeInt('pendingLeads', { description: 'Leads new or changed since they were last matched.' }),
    pendingCharts: t.exposeInt('pendingCharts', { description: 'Charts new or changed since they were last matched.' }),
  }),
});

builder.objectField(PracticeRef, 'matching', (t) =>
  t.field({
    type: MatchingStatusRef,
    description: 'Matching’s progress and totals. Counts only: everyone with access.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'viewer' } }),
    resolve: (practice, _args, ctx) => ctx.tenant((tx) => matchingStatus(tx, practice.id)),
  }),
);

const pairArgs = (t: Parameters<Parameters<typeof builder.mutationField>[1]>[0]) => ({
  leadId: t.arg.globalID({ required: true, for: LeadRef }),
  patientId: t.arg.globalID({ required: true, for: PatientRef }),
});

/** The pair as stored after a verdict; null when "not a match" removed it. */
async function pairAfter(ctx: GraphQLContext, leadId: string, patientId: string): Promise<LeadMatchItem | null> {
  return ctx.tenant(async (tx) => (await matchesOfLeads(tx, [leadId])).find((m) => m.patientId === patientId) ?? null);
}

builder.mutationField('decideMatch', (t) =>
  t.field({
    type: LeadMatchRef,
    nullable: true,
    description:
      'Analysts and admins: link a lead to a patient, or say they are not a match. The verdict holds on every later run. ' +
      'Answers the pair as it now stands (null after NOT_A_MATCH); credits and reports follow within seconds. ' +
      'Audited (match.decided); the reason is stored encrypted.',
    // The lead's practice decides; a chart of another practice is the resolver's NOT_FOUND, as decideMatch words it.
    authScopes: (_root, args, ctx) =>
      roleOnRow(ctx, 'analyst', (tx) => tx.lead.findFirst({ where: { id: args.leadId.id, deletedAt: null }, select: { practiceId: true } })),
    args: { ...pairArgs(t), verdict: t.arg({ type: MatchVerdictEnum, required: true }), reason: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const { practiceId } = await ctx.tenant((tx, principal) =>
        decideMatch(tx, ctx.platform.keys, principal, { leadId: args.leadId.id, patientId: args.patientId.id, verdict: args.verdict, reason: args.reason, origin: ctx.origin }),
      );
      // The verdict changes links outside a matching pass, so nothing else would credit the patient's revenue anew.
      await queueAttributionAfter(ctx.platform, practiceId);
      return pairAfter(ctx, args.leadId.id, args.patientId.id);
    },
  }),
);

builder.mutationField('undoMatchDecision', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Analysts and admins: take a verdict back; the engine decides the pair again within seconds. Audited.',
    authScopes: (_root, args, ctx) =>
      roleOnRow(ctx, 'analyst', (tx) => tx.lead.findFirst({ where: { id: args.leadId.id, deletedAt: null }, select: { practiceId: true } })),
    args: pairArgs(t),
    resolve: async (_root, args, ctx) => {
      const { practiceId } = await ctx.tenant((tx, principal) => undoMatchDecision(tx, principal, { leadId: args.leadId.id, patientId: args.patientId.id, origin: ctx.origin }));
      await queueMatching(ctx.platform.jobs, practiceId, { delaySeconds: 0 });
      return true;
    },
  }),
);

builder.mutationField('rematchPractice', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Admins: match every lead of the practice again with a freshly fitted model (it also happens nightly). Verdicts hold.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: { practiceId: t.arg.globalID({ required: true, for: PracticeRef }) },
    resolve: async (_root, args, ctx) => {
      await ctx.tenant(async (_tx, principal) => requirePracticeRole(principal, args.practiceId.id, 'admin'));
      await queueMatching(ctx.platform.jobs, args.practiceId.id, { full: true, delaySeconds: 0 });
      return true;
    },
  }),
);
