import { encodeGlobalID } from '@pothos/plugin-relay';
import { AppointmentStatus } from '@sourceline/sdk';
import DataLoader from 'dataloader';
import type { PatientListItem } from '../../patients/find-patients.ts';
import { readChartEvents } from '../../patients/read-chart-events.ts';
import type { AppointmentEvent, ChartEvent, ChartEventPage, PaymentEvent, ProcedureEvent } from '../../records/list-chart-events.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { PatientRef } from './patient.ts';

const AppointmentStatusEnum = builder.enumType('AppointmentStatus', {
  values: Object.fromEntries(AppointmentStatus.options.filter((s) => s !== 'note').map((s) => [s.toUpperCase(), { value: s }])) as Record<
    string,
    { value: AppointmentStatus }
  >,
});

const PayerEnum = builder.enumType('Payer', { values: { PATIENT: { value: 'patient' }, INSURANCE: { value: 'insurance' } } as const });

const typeNames = { appointment: 'AppointmentEvent', procedure: 'ProcedureEvent', payment: 'PaymentEvent' } as const;

const ChartEventRef = builder.interfaceRef<ChartEvent>('ChartEvent').implement({
  description: 'Something the practice-management system recorded on a chart: a visit, treatment or money received.',
  resolveType: (event) => typeNames[event.kind],
  fields: (t) => ({
    id: t.id({ resolve: (event) => encodeGlobalID(typeNames[event.kind], event.id) }),
    day: t.exposeString('day', { description: 'YYYY-MM-DD in the practice’s zone.' }),
  }),
});

builder.objectRef<AppointmentEvent>('AppointmentEvent').implement({
  description: 'An appointment on the schedule, kept or not (schedule notes are left out).',
  interfaces: [ChartEventRef],
  fields: (t) => ({
    status: t.field({ type: AppointmentStatusEnum, resolve: (a) => a.status }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime' }),
    bookedAt: t.expose('bookedAt', { type: 'DateTime', nullable: true, description: 'When the office booked it, if the source says.' }),
    isNewPatient: t.exposeBoolean('isNewPatient', { description: 'The source’s own first-appointment flag.' }),
    provider: t.exposeString('provider', { nullable: true, description: 'The dentist or hygienist, as the practice-management system names them.' }),
  }),
});

builder.objectRef<ProcedureEvent>('ProcedureEvent').implement({
  description: 'A completed procedure: production.',
  interfaces: [ChartEventRef],
  fields: (t) => ({
    code: t.exposeString('code', { description: 'CDT code, e.g. D2740 (CPT for medical practices).' }),
    description: t.exposeString('description', { nullable: true }),
    feeCents: t.int({ description: 'The line’s production, in integer cents.', resolve: (p) => p.feeCents }),
    provider: t.exposeString('provider', { nullable: true }),
  }),
});

builder.objectRef<PaymentEvent>('PaymentEvent').implement({
  description: 'Money received; a refund is negative.',
  interfaces: [ChartEventRef],
  fields: (t) => ({
    amountCents: t.int({ resolve: (p) => p.amountCents }),
    payer: t.field({ type: PayerEnum, resolve: (p) => p.payer }),
    method: t.exposeString('method', { nullable: true, description: 'As the source names it: "Credit Card", "Check"…' }),
  }),
});

const ChartEventPageRef = builder.simpleObject('ChartEventPage', {
  fields: (t) => ({
    total: t.int({ description: 'Every event on the chart, however many are listed.' }),
    items: t.field({ type: [ChartEventRef], description: 'The most recent, newest first.' }),
  }),
});

const MAX_EVENTS = 100;

/**
 * One loader per request and page size: the charts a list asks about in one tick are read in one query, with one
 * audit entry per practice, as their names are.
 */
const loaders = new WeakMap<GraphQLContext, Map<number, DataLoader<PatientListItem, ChartEventPage, string>>>();
function chartEventsOf(ctx: GraphQLContext, limit: number): DataLoader<PatientListItem, ChartEventPage, string> {
  const byLimit = loaders.get(ctx) ?? new Map<number, DataLoader<PatientListItem, ChartEventPage, string>>();
  loaders.set(ctx, byLimit);
  let loader = byLimit.get(limit);
  if (!loader) {
    loader = new DataLoader(
      async (patients) => {
        const pages = new Map<string, ChartEventPage>();
        for (const practiceId of new Set(patients.map((p) => p.practiceId))) {
          const patientIds = patients.filter((p) => p.practiceId === practiceId).map((p) => p.id);
          const read = await ctx.tenant((tx, principal) => readChartEvents(tx, principal, { practiceId, patientIds, limit, origin: ctx.origin }));
          for (const [id, page] of read) pages.set(id, page);
        }
        return patients.map((p) => pages.get(p.id) ?? { total: 0, items: [] });
      },
      { cacheKeyFn: (p) => p.id },
    );
    byLimit.set(limit, loader);
  }
  return loader;
}

builder.objectField(PatientRef, 'chartEvents', (t) =>
  t.field({
    type: ChartEventPageRef,
    description: `The chart’s appointments, completed procedures and payments, most recent first. PHI: every read is audited (patient.phi_read).`,
    args: { first: t.arg.int({ defaultValue: 50, description: `At most ${MAX_EVENTS}.` }) },
    resolve: (patient, args, ctx) => chartEventsOf(ctx, Math.min(Math.max(args.first ?? 50, 1), MAX_EVENTS)).load(patient),
  }),
);
