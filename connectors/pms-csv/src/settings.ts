import { isValidTimeZone } from '@sourceline/sdk';
import { z } from 'zod';

/** Canonical input fields per file, with the column header each defaults to. Settings may rename any of them. */
export const defaultColumns = {
  patients: {
    id: 'patient_id', firstName: 'first_name', lastName: 'last_name', middleName: 'middle_name', preferredName: 'preferred_name',
    birthDate: 'birth_date', gender: 'gender', status: 'status', mobilePhone: 'mobile_phone', homePhone: 'home_phone',
    workPhone: 'work_phone', email: 'email', addressLine1: 'address_line1', addressLine2: 'address_line2', city: 'city',
    region: 'state', postalCode: 'postal_code', guarantorId: 'guarantor_id', providerId: 'provider_id', locationId: 'location_id',
    firstVisitDate: 'first_visit_date', createdDate: 'created_date',
  },
  appointments: {
    id: 'appointment_id', patientId: 'patient_id', scheduledAt: 'scheduled_at', status: 'status', providerId: 'provider_id',
    hygienistId: 'hygienist_id', locationId: 'location_id', isNewPatient: 'is_new_patient', createdAt: 'created_at',
  },
  procedures: {
    id: 'procedure_id', patientId: 'patient_id', appointmentId: 'appointment_id', performedOn: 'date', code: 'code',
    description: 'description', fee: 'fee', quantity: 'quantity', discount: 'discount', status: 'status',
    providerId: 'provider_id', locationId: 'location_id',
  },
} as const;

export type CsvFileKind = keyof typeof defaultColumns;

const columnOverrides = <K extends CsvFileKind>(kind: K) =>
  z.partialRecord(z.enum(Object.keys(defaultColumns[kind]) as [string, ...string[]]), z.string().min(1)).default({});

export const pmsCsvSettings = z.object({
  /** Where the exports are: a folder the platform (or an SFTP drop) writes them to, or URLs of the three files. */
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('directory'), path: z.string().min(1) }),
    z.object({ type: z.literal('urls'), patients: z.url().optional(), appointments: z.url().optional(), procedures: z.url().optional() }),
  ]),
  fileNames: z.object({
    patients: z.string().default('patients.csv'),
    appointments: z.string().default('appointments.csv'),
    procedures: z.string().default('procedures.csv'),
  }).default({ patients: 'patients.csv', appointments: 'appointments.csv', procedures: 'procedures.csv' }),
  /** Column renames, e.g. `{ patients: { birthDate: "DOB" } }`. Unnamed fields use the default headers. */
  columns: z.object({
    patients: columnOverrides('patients'),
    appointments: columnOverrides('appointments'),
    procedures: columnOverrides('procedures'),
  }).default({ patients: {}, appointments: {}, procedures: {} }),
  dateFormat: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY']).default('YYYY-MM-DD'),
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  /** The practice's IANA zone: appointment times in the exports are local wall-clock times. */
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone'),
});

export type PmsCsvSettings = z.infer<typeof pmsCsvSettings>;

export function columnsFor(kind: CsvFileKind, settings: Partial<PmsCsvSettings>): Record<string, string> {
  return { ...defaultColumns[kind], ...(settings.columns?.[kind] ?? {}) };
}
