import { PatientStatus } from '@sourceline/sdk';
import { findPatients, type PatientListItem } from '../../patients/find-patients.ts';
import { readPatientPhi, type PatientPhiField } from '../../patients/read-patient-phi.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { PhiBatch } from '../phi-batch.ts';
import { requestLoader } from '../request-loader.ts';

export const PatientRef = builder.objectRef<PatientListItem>('Patient');

/** Charts by id, one query per request tick. */
export const patientLoader = requestLoader((ctx, ids) => ctx.tenant((tx) => findPatients(tx, ids)), (p) => p.id);

const PatientStatusEnum = builder.enumType('PatientStatus', {
  values: Object.fromEntries(PatientStatus.options.map((status) => [status.toUpperCase().replace(/-/g, '_'), { value: status }])) as Record<
    string,
    { value: PatientStatus }
  >,
});

const PatientPhoneRef = builder.simpleObject('PatientPhone', {
  fields: (t) => ({ kind: t.string({ description: 'mobile, home, work or other.' }), number: t.string({ description: 'As the practice-management system holds it.' }) }),
});

const batches = new WeakMap<GraphQLContext, PhiBatch<PatientPhiField>>();
function phiOf(ctx: GraphQLContext): PhiBatch<PatientPhiField> {
  let batch = batches.get(ctx);
  if (!batch) {
    batch = new PhiBatch<PatientPhiField>((practiceId, patientIds, fields) =>
      ctx.tenant((tx, principal) => readPatientPhi(tx, ctx.platform.keys, principal, { practiceId, patientIds, fields, origin: ctx.origin })),
    );
    batches.set(ctx, batch);
  }
  return batch;
}

const PHI_NOTE = 'PHI: every read is audited (patient.phi_read).';

builder.node(PatientRef, {
  description: 'A chart in the practice-management system. Analysts and admins only: viewers see patients in aggregates, never one by one.',
  authScopes: (patient) => ({ practice: { id: patient.practiceId, role: 'analyst' } }),
  id: { resolve: (patient) => patient.id },
  loadOne: (id, ctx) => patientLoader(ctx).load(id),
  fields: (t) => {
    const phi = (field: PatientPhiField, description: string) =>
      t.string({ nullable: true, description: `${description} ${PHI_NOTE}`, resolve: (patient, _args, ctx) => phiOf(ctx).read(patient, field) });
    return {
      sourceId: t.exposeString('sourceId', { description: 'The chart number in the practice-management system (Open Dental PatNum).' }),
      status: t.field({ type: PatientStatusEnum, resolve: (p) => p.status }),
      firstVisitOn: t.exposeString('firstVisitOn', { nullable: true, description: 'YYYY-MM-DD, as the source records it.' }),
      createdOn: t.exposeString('createdOn', { nullable: true, description: 'YYYY-MM-DD: when the chart was opened.' }),
      productionCents: t.int({ description: 'Completed procedures’ production, in integer cents.', resolve: (p) => p.productionCents }),
      firstName: phi('firstName', 'Given name.'),
      lastName: phi('lastName', 'Surname.'),
      preferredName: phi('preferredName', 'The name the patient goes by.'),
      birthDate: phi('birthDate', 'YYYY-MM-DD.'),
      email: phi('email', 'E-mail address.'),
      phones: t.field({
        type: [PatientPhoneRef],
        description: `Phone numbers. ${PHI_NOTE}`,
        resolve: async (patient, _args, ctx) => {
          const stored = await phiOf(ctx).read(patient, 'phones');
          return stored ? (JSON.parse(stored) as { kind: string; number: string }[]) : [];
        },
      }),
    };
  },
});
