import type { Procedure } from '@sourceline/sdk';
import type { RowReader } from '../api/row-reader.ts';
import { createStampedStream } from '../sync/stamped-stream.ts';
import type { MapEnv, StampedResource } from '../sync/stamped-resource.ts';

const statuses = {
  C: 'completed', TP: 'planned', EC: 'existing', EO: 'existing', R: 'referred-out', D: 'deleted', Cn: 'condition', TPi: 'planned-inactive',
} as const;

export function mapProcedure(r: RowReader, env: MapEnv): Procedure | undefined {
  const id = r.id('ProcNum', true);
  const patientId = r.id('PatNum', true);
  const status = r.oneOf('ProcStatus', statuses);
  const unitFeeCents = r.cents('ProcFee');
  const code = r.text('procCode');
  if (code === null) r.fail('procCode', 'is empty');
  if (id === null || patientId === null || status === undefined || code === null) return undefined;
  // Open Dental's own production report multiplies the unit fee by UnitQty + BaseUnits.
  const quantity = r.integer('UnitQty', 1) + r.integer('BaseUnits', 0);
  return {
    id,
    patientId,
    appointmentId: r.id('AptNum'),
    providerId: r.id('ProvNum'),
    locationId: r.id('ClinicNum'),
    status,
    performedOn: r.date('ProcDate', status === 'completed'),
    code,
    description: r.text('descript'),
    unitFeeCents,
    quantity,
    feeCents: unitFeeCents * quantity,
    discountCents: r.cents('Discount', false),
    sourceUpdatedAt: r.dateTime('DateTStamp', env.timeZone),
  };
}

/** Procedures are never removed: a deleted one flips to status D, which this stream sees as an ordinary change. */
export const proceduresResource: StampedResource<'procedure'> = {
  stream: 'procedures',
  description: 'Procedures: completed production with fee, provider, clinic and date; deletions arrive as status D',
  kind: 'procedure',
  path: 'procedurelogs',
  idField: 'ProcNum',
  serverTimeInRows: true,
  hardDeletes: false,
  mapRow: mapProcedure,
};

export const proceduresStream = createStampedStream(proceduresResource);
