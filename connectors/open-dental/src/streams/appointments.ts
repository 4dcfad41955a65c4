import type { Appointment } from '@sourceline/sdk';
import type { RowReader } from '../api/row-reader.ts';
import { createStampedStream } from '../sync/stamped-stream.ts';
import type { MapEnv, StampedResource } from '../sync/stamped-resource.ts';

const statuses = {
  Scheduled: 'scheduled', Complete: 'completed', Broken: 'broken', UnschedList: 'unscheduled', ASAP: 'scheduled',
  Planned: 'planned', PtNote: 'note', PtNoteCompleted: 'note',
} as const;

export function mapAppointment(r: RowReader, env: MapEnv): Appointment | undefined {
  const id = r.id('AptNum', true);
  const patientId = r.id('PatNum', true);
  const status = r.oneOf('AptStatus', statuses);
  const scheduledAt = r.dateTime('AptDateTime', env.timeZone, true);
  if (id === null || patientId === null || status === undefined || scheduledAt === null) return undefined;
  return {
    id,
    patientId,
    status,
    scheduledAt,
    providerId: r.id('ProvNum'),
    hygienistId: r.id('ProvHyg'),
    locationId: r.id('ClinicNum'),
    isNewPatient: r.bool('IsNewPatient'),
    createdAt: r.dateTime('SecDateTEntry', env.timeZone),
    sourceUpdatedAt: r.dateTime('DateTStamp', env.timeZone),
  };
}

/** Appointments are hard-deleted in Open Dental, so this stream also reconciles ids periodically. */
export const appointmentsResource: StampedResource<'appointment'> = {
  stream: 'appointments',
  description: 'Appointments (scheduled, completed, broken); deletions found by periodic id reconciliation',
  kind: 'appointment',
  path: 'appointments',
  idField: 'AptNum',
  serverTimeInRows: true,
  hardDeletes: true,
  mapRow: mapAppointment,
};

export const appointmentsStream = createStampedStream(appointmentsResource);
