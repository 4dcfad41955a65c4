import type { Patient, PatientPhone } from '@sourceline/sdk';
import type { RowReader } from '../api/row-reader.ts';
import { createStampedStream } from '../sync/stamped-stream.ts';
import type { MapEnv, StampedResource } from '../sync/stamped-resource.ts';

const statuses = {
  Patient: 'active', NonPatient: 'non-patient', Inactive: 'inactive', Archived: 'archived', Deleted: 'deleted',
  Deceased: 'deceased', Prospective: 'prospective',
} as const;
const genders = { Female: 'female', Male: 'male', Other: 'other', Unknown: 'unknown' } as const;
const phoneFields = [['WirelessPhone', 'mobile'], ['HmPhone', 'home'], ['WkPhone', 'work']] as const;

export function mapPatient(r: RowReader, env: MapEnv): Patient | undefined {
  const id = r.id('PatNum', true);
  const status = r.oneOf('PatStatus', statuses);
  if (id === null || status === undefined) return undefined;
  const phones: PatientPhone[] = [];
  for (const [field, kind] of phoneFields) {
    const number = r.text(field);
    if (number !== null) phones.push({ kind, number });
  }
  let email = r.text('Email');
  if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    r.warn('Email', 'not an email address; left out');
    email = null;
  }
  const line1 = r.text('Address');
  const city = r.text('City');
  const postalCode = r.text('Zip'); // sometimes a bare number in the API; text() accepts both
  return {
    id,
    firstName: r.text('FName'),
    lastName: r.text('LName'),
    middleName: r.text('MiddleI'),
    preferredName: r.text('Preferred'),
    birthDate: r.date('Birthdate'),
    gender: genders[r.text('Gender') as keyof typeof genders] ?? 'unknown',
    status,
    phones,
    email,
    address: line1 || city || postalCode
      ? { line1, line2: r.text('Address2'), city, region: r.text('State'), postalCode, country: null }
      : null,
    guarantorId: r.id('Guarantor'),
    primaryProviderId: r.id('PriProv'),
    locationId: r.id('ClinicNum'),
    firstVisitOn: r.date('DateFirstVisit'),
    createdOn: r.date('SecDateEntry'),
    sourceUpdatedAt: r.dateTime('DateTStamp', env.timeZone),
  };
}

/** `/patients/Simple` is the sync endpoint: full rows, DateTStamp filter, serverDateTime first in each element. */
export const patientsResource: StampedResource<'patient'> = {
  stream: 'patients',
  description: 'Patients, with status changes (Open Dental never deletes a patient; it marks them Deleted)',
  kind: 'patient',
  path: 'patients/Simple',
  idField: 'PatNum',
  serverTimeInRows: true,
  hardDeletes: false,
  mapRow: mapPatient,
};

export const patientsStream = createStampedStream(patientsResource);
