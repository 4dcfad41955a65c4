import type { Payment } from '@sourceline/sdk';
import type { RowReader } from '../api/row-reader.ts';
import { createStampedStream } from '../sync/stamped-stream.ts';
import type { MapEnv, StampedResource } from '../sync/stamped-resource.ts';

export function mapPayment(r: RowReader, env: MapEnv): Payment | undefined {
  const id = r.id('PayNum', true);
  const patientId = r.id('PatNum', true);
  const paidOn = r.date('PayDate', true);
  // PayAmt is a string ("339", "-50.5"); a refund is a payment with a negative amount.
  const amountCents = r.cents('PayAmt');
  if (id === null || patientId === null || paidOn === null) return undefined;
  return {
    id,
    patientId,
    locationId: r.id('ClinicNum'), // a string ("2") in this endpoint, unlike everywhere else
    providerId: null, // providers are on paysplits, which the API only lists practice-wide from 24.4.24
    payer: 'patient',
    amountCents,
    paidOn,
    method: r.text('payType'),
    sourceUpdatedAt: r.dateTime('SecDateTEdit', env.timeZone),
  };
}

/**
 * `/payments` has no DateTStamp: only the date-only `DateEntry` ("entered on or after"). Incremental passes re-read
 * from the day before the last pass and skip rows whose SecDateTEdit is unchanged.
 */
export const paymentsResource: StampedResource<'payment'> = {
  stream: 'payments',
  description: 'Patient payments and refunds (collections), incremental by DateEntry',
  kind: 'payment',
  path: 'payments',
  idField: 'PayNum',
  serverTimeInRows: true,
  hardDeletes: true,
  changeFilter: 'DateEntry',
  stampField: 'SecDateTEdit',
  mapRow: mapPayment,
};

export const paymentsStream = createStampedStream(paymentsResource);
