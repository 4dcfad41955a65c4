import { z } from 'zod';
import { IsoDateTime, SourceId } from './common.ts';

export const AppointmentStatus = z.enum(['scheduled', 'completed', 'broken', 'unscheduled', 'planned', 'note']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

export const Appointment = z.object({
  id: SourceId,
  patientId: SourceId,
  status: AppointmentStatus,
  scheduledAt: IsoDateTime,
  providerId: SourceId.nullable(),
  hygienistId: SourceId.nullable(),
  locationId: SourceId.nullable(),
  /** The source's own "first appointment at this office" flag; a broken new-patient appointment keeps it. */
  isNewPatient: z.boolean(),
  createdAt: IsoDateTime.nullable(),
  sourceUpdatedAt: IsoDateTime.nullable(),
});
export type Appointment = z.infer<typeof Appointment>;
