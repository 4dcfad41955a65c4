import type { Lead as LeadRecord, Patient as PatientRecord } from '@sourceline/sdk';
import type { LeadInput, PatientInput } from './records.ts';

/** Test factories: a chart and a lead with plausible defaults, overridden per scenario. */
export function patient(overrides: Partial<PatientInput> & { id: string }): PatientInput {
  return {
    firstName: 'Pat',
    lastName: 'Doe',
    preferredName: '',
    birthdate: '1980-01-01',
    homePhone: '',
    workPhone: '',
    mobilePhone: '',
    email: '',
    zip: '43210',
    firstVisitDate: '',
    createdAt: '2020-01-01T12:00:00Z',
    ...overrides,
  };
}

export function lead(overrides: Partial<LeadInput> & { id: string }): LeadInput {
  return { occurredAt: '2024-03-01T15:00:00Z', name: '', phone: '', email: '', ...overrides };
}

const GIVEN = ['James', 'Mary', 'Robert', 'Linda', 'Michael', 'Susan', 'David', 'Karen', 'Daniel', 'Nancy', 'Paul', 'Laura'];
const CHILDREN = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Mason', 'Mia', 'Lucas'];
const SURNAMES = ['Ashford', 'Brennan', 'Castillo', 'Dunmore', 'Ellery', 'Fairbanks', 'Galloway', 'Hollis', 'Ingram', 'Jessup'];

/**
 * A small practice in which the usual things happen, enough for EM to have something to fit: in each household an
 * adult calls (caller ID shows "SURNAME GIVEN"), gets a chart the same day and registers a child with the same
 * number minutes later; the caller has a namesake who has been a patient for years; as many other callers are
 * prospects who never become patients.
 */
export function smallPractice(households = 40): { patients: PatientInput[]; leads: LeadInput[] } {
  const patients: PatientInput[] = [];
  const leads: LeadInput[] = [];
  for (let h = 0; h < households; h++) {
    const surname = `${SURNAMES[h % SURNAMES.length]}${h >= SURNAMES.length ? String.fromCharCode(97 + Math.floor(h / SURNAMES.length)) : ''}`;
    const given = GIVEN[h % GIVEN.length]!;
    const mobile = `614${200 + h}${1000 + h}`;
    const day = `2024-${String(1 + (h % 12)).padStart(2, '0')}-${String(3 + (h % 20)).padStart(2, '0')}`;
    const zip = `432${String(10 + (h % 5))}`;
    patients.push(
      patient({
        id: `A${h}`,
        firstName: given,
        lastName: surname,
        birthdate: '1985-05-05',
        mobilePhone: mobile,
        email: `${given}.${surname}@gmail.com`.toLowerCase(),
        zip,
        createdAt: `${day}T16:00:00Z`,
        firstVisitDate: day,
      }),
      patient({
        id: `C${h}`,
        firstName: CHILDREN[h % CHILDREN.length]!,
        lastName: surname,
        birthdate: '2016-06-06',
        homePhone: mobile,
        zip,
        createdAt: `${day}T16:05:00Z`,
        firstVisitDate: day,
      }),
      patient({
        id: `N${h}`,
        firstName: given,
        lastName: surname,
        birthdate: '1960-03-03',
        mobilePhone: `380${500 + h}${2000 + h}`,
        zip: `432${String(20 + (h % 5))}`,
        createdAt: '2016-03-14T10:00:00Z',
        firstVisitDate: '2015-11-20',
      }),
    );
    leads.push(lead({ id: `L${h}`, occurredAt: `${day}T14:00:00Z`, name: `${surname} ${given}`.toUpperCase(), phone: `+1${mobile}` }));
    leads.push(lead({ id: `P${h}`, occurredAt: `${day}T18:00:00Z`, name: `Prospect ${surname}x`, phone: `737${300 + h}1234` }));
  }
  return { patients, leads };
}

/** A chart of the engine's input as the Open Dental connector would emit it (platform tests and benchmarks). */
export function chartRecord(input: PatientInput): PatientRecord {
  const phones: PatientRecord['phones'] = [];
  if (input.mobilePhone) phones.push({ kind: 'mobile', number: input.mobilePhone });
  if (input.homePhone) phones.push({ kind: 'home', number: input.homePhone });
  if (input.workPhone) phones.push({ kind: 'work', number: input.workPhone });
  return {
    id: input.id, firstName: input.firstName || null, lastName: input.lastName || null, middleName: null,
    preferredName: input.preferredName || null, birthDate: input.birthdate || null, gender: 'unknown', status: 'active', phones,
    email: input.email || null,
    address: input.zip ? { line1: null, line2: null, city: null, region: null, postalCode: input.zip, country: 'US' } : null,
    guarantorId: null, primaryProviderId: null, locationId: null, firstVisitOn: input.firstVisitDate || null,
    createdOn: input.createdAt.slice(0, 10), sourceUpdatedAt: null,
  };
}

/** A lead of the engine's input as a lead source would emit it. */
export function leadRecord(input: LeadInput): LeadRecord {
  return {
    id: input.id, occurredAt: new Date(input.occurredAt).toISOString(), kind: 'call', channel: null, source: null, medium: null, campaign: null, adGroup: null,
    keyword: null, gclid: null, name: input.name || null, phone: input.phone || null, email: input.email || null, landingPage: null, message: null,
    durationSeconds: null, locationId: null,
  };
}
