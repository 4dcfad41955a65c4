import type { Patient, PatientPhone } from '@sourceline/sdk';
import type { CsvFileSpec } from '../csv/import-file.ts';
import { createCsvStream } from './csv-stream.ts';

const statuses = {
  active: 'active', patient: 'active', inactive: 'inactive', archived: 'archived', deleted: 'deleted', deceased: 'deceased',
  prospective: 'prospective', 'non-patient': 'non-patient', nonpatient: 'non-patient',
} as const;
const genders = { f: 'female', female: 'female', m: 'male', male: 'male', o: 'other', other: 'other', u: 'unknown', unknown: 'unknown' } as const;

export const patientsFile: CsvFileSpec<'patient'> = {
  file: 'patients',
  kind: 'patient',
  requiredColumns: ['id', 'lastName'],
  mapRow(f) {
    const id = f.text('id', true);
    const phones: PatientPhone[] = [];
    for (const [field, kind] of [['mobilePhone', 'mobile'], ['homePhone', 'home'], ['workPhone', 'work']] as const) {
      const number = f.text(field);
      if (number !== null) phones.push({ kind, number });
    }
    const email = f.text('email');
    if (email !== null && !/^[^\s@]+@[^\s@]+$/.test(email)) f.fail('email', 'not an email address');
    const line1 = f.text('addressLine1');
    const city = f.text('city');
    const postalCode = f.text('postalCode');
    const patient: Patient = {
      id: id ?? '',
      firstName: f.text('firstName'),
      lastName: f.text('lastName', true),
      middleName: f.text('middleName'),
      preferredName: f.text('preferredName'),
      birthDate: f.date('birthDate'),
      gender: f.choice('gender', genders, 'unknown'),
      status: f.choice('status', statuses, 'active'),
      phones,
      email,
      address: line1 || city || postalCode ? { line1, line2: f.text('addressLine2'), city, region: f.text('region'), postalCode, country: null } : null,
      guarantorId: f.text('guarantorId'),
      primaryProviderId: f.text('providerId'),
      locationId: f.text('locationId'),
      firstVisitOn: f.date('firstVisitDate'),
      createdOn: f.date('createdDate'),
      sourceUpdatedAt: null,
    };
    return id === null ? undefined : patient;
  },
};

export const patientsStream = createCsvStream(patientsFile, 'Patients from patients.csv');
