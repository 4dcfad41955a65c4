import { z } from 'zod';
import { Cents, IsoDate, IsoDateTime, SourceId } from './common.ts';

/** Money received (patient or insurance). A refund is a payment with a negative amount. */
export const Payment = z.object({
  id: SourceId,
  patientId: SourceId,
  locationId: SourceId.nullable(),
  providerId: SourceId.nullable(),
  payer: z.enum(['patient', 'insurance']),
  amountCents: Cents,
  paidOn: IsoDate,
  method: z.string().nullable(),
  sourceUpdatedAt: IsoDateTime.nullable(),
});
export type Payment = z.infer<typeof Payment>;

/** A signed change to what a patient owes (discounts negative, charges positive); counts toward net production. */
export const Adjustment = z.object({
  id: SourceId,
  patientId: SourceId,
  locationId: SourceId.nullable(),
  providerId: SourceId.nullable(),
  procedureId: SourceId.nullable(),
  amountCents: Cents,
  adjustedOn: IsoDate,
  type: z.string().nullable(),
  sourceUpdatedAt: IsoDateTime.nullable(),
});
export type Adjustment = z.infer<typeof Adjustment>;
