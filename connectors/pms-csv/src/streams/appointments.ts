import type { Appointment } from '@sourceline/sdk';
import type { CsvFileSpec } from '../csv/import-file.ts';
import { createCsvStream } from './csv-stream.ts';

const statuses = {
  scheduled: 'scheduled', booked: 'scheduled', completed: 'completed', complete: 'completed', kept: 'completed',
  broken: 'broken', 'no-show': 'broken', noshow: 'broken', cancelled: 'broken', canceled: 'broken',
  unscheduled: 'unscheduled', planned: 'planned',
} as const;

export const appointmentsFile: CsvFileSpec<'appointment'> = {
  file: 'appointments',
  kind: 'appointment',
  requiredColumns: ['id', 'patientId', 'scheduledAt'],
  mapRow(f) {
    const id = f.text('id', true);
    const patientId = f.text('patientId', true);
    const scheduledAt = f.dateTime('scheduledAt', true);
    const appointment: Appointment = {
      id: id ?? '',
      patientId: patientId ?? '',
      status: f.choice('status', statuses, 'scheduled'),
      scheduledAt: scheduledAt ?? '',
      providerId: f.text('providerId'),
      hygienistId: f.text('hygienistId'),
      locationId: f.text('locationId'),
      isNewPatient: f.yesNo('isNewPatient') ?? false,
      createdAt: f.dateTime('createdAt'),
      sourceUpdatedAt: null,
    };
    return id === null || patientId === null || scheduledAt === null ? undefined : appointment;
  },
};

export const appointmentsStream = createCsvStream(appointmentsFile, 'Appointments from appointments.csv');
