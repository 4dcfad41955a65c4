import { z } from 'zod';
import { Cents, IsoDate, IsoDateTime, SourceId } from './common.ts';

/** Only `completed` procedures are production; the others are kept so status changes (C → deleted) propagate. */
export const ProcedureStatus = z.enum(['completed', 'planned', 'existing', 'referred-out', 'deleted', 'condition', 'planned-inactive']);
export type ProcedureStatus = z.infer<typeof ProcedureStatus>;

export const Procedure = z.object({
  id: SourceId,
  patientId: SourceId,
  appointmentId: SourceId.nullable(),
  providerId: SourceId.nullable(),
  locationId: SourceId.nullable(),
  status: ProcedureStatus,
  performedOn: IsoDate.nullable(),
  /** CDT code such as `D0150` (or CPT for medical practices). */
  code: z.string().min(1).max(32),
  description: z.string().nullable(),
  unitFeeCents: Cents,
  quantity: z.number().int().min(0),
  /** The line's production: unit fee × quantity, as the source's own reports compute it. */
  feeCents: Cents,
  discountCents: Cents,
  sourceUpdatedAt: IsoDateTime.nullable(),
});
export type Procedure = z.infer<typeof Procedure>;
