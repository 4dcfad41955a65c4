import { normalizeEmail } from './normalize/email.ts';
import { parseGivenName, parseLeadName, parseSurname, type GivenName, type LeadName, type Surname } from './normalize/name.ts';
import { areaCodeOf, parsePhone, resolvePhone, type E164, type LocalAreaCodes, type ParsedPhone } from './normalize/phone.ts';

/** A chart as the practice-management system holds it; empty strings are unknown. Dates are `YYYY-MM-DD`. */
export interface PatientInput {
  id: string;
  firstName: string;
  lastName: string;
  preferredName: string;
  birthdate: string;
  homePhone: string;
  workPhone: string;
  mobilePhone: string;
  email: string;
  zip: string;
  firstVisitDate: string;
  /** ISO 8601 timestamp of chart creation, or its date (`YYYY-MM-DD`) when the time is unknown. */
  createdAt: string;
}

/** A lead (form, call, chat) as a lead source delivers it; `birthdate` only when a form asked for it. */
export interface LeadInput {
  id: string;
  /** ISO 8601 timestamp. */
  occurredAt: string;
  name: string;
  phone: string;
  email: string;
  birthdate?: string;
}

export type PhoneField = 'mobile' | 'home' | 'work';

/** A chart normalised for matching. Times are in days since the Unix epoch, so differences read as days. */
export interface Patient {
  id: string;
  given: GivenName;
  surname: Surname | null;
  birthDay: number | null;
  phones: { number: E164; field: PhoneField }[];
  /**
   * Seven-digit numbers the chart gives without an area code. `phones` completes them with the local area codes;
   * these also meet a lead from the same number under another one (a mobile kept from a previous home).
   */
  subscribers: string[];
  email: string | null;
  zip5: string | null;
  /** Area codes local to the chart's address; null when the address is unknown. */
  regionAreaCodes: readonly string[] | null;
  firstVisitDay: number | null;
  createdDay: number;
  /** Whether the chart says when it was opened, or only the day (Open Dental's SecDateEntry is a date). */
  openedAtKnown: boolean;
}

export interface Lead {
  id: string;
  day: number;
  name: LeadName;
  phones: E164[];
  /** Where the lead's phone number is from, the one hint of where a caller lives. */
  areaCode: string | null;
  email: string | null;
  birthDay: number | null;
}

const DAY_MS = 86_400_000;

/** Days since the epoch for an ISO timestamp or date; callers validate the text before it gets here. */
function toDay(iso: string): number {
  return Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / DAY_MS;
}

const optionalDay = (text: string | undefined): number | null => (text ? toDay(text) : null);

/** The phone cells of a chart, parsed once so area-code inference and normalisation share the work. */
export interface ParsedPatientPhones {
  zip: string;
  phones: { parsed: ParsedPhone | null; field: PhoneField }[];
}

export function parsePatientPhones(input: PatientInput): ParsedPatientPhones {
  return {
    zip: input.zip.trim(),
    phones: [
      { parsed: parsePhone(input.mobilePhone), field: 'mobile' },
      { parsed: parsePhone(input.homePhone), field: 'home' },
      { parsed: parsePhone(input.workPhone), field: 'work' },
    ],
  };
}

export function normalizePatient(
  input: PatientInput,
  parsed: ParsedPatientPhones,
  localAreaCodes: LocalAreaCodes,
): Patient {
  const regionAreaCodes = localAreaCodes.region(parsed.zip);
  const phones: Patient['phones'] = [];
  const subscribers: string[] = [];
  for (const { parsed: phone, field } of parsed.phones) {
    if (!phone) continue;
    if (phone.kind === 'local' && !subscribers.includes(phone.subscriber)) subscribers.push(phone.subscriber);
    for (const number of resolvePhone(phone, regionAreaCodes ?? localAreaCodes.practice)) {
      if (!phones.some((p) => p.number === number)) phones.push({ number, field });
    }
  }
  const zip5 = /^\d{5}/.exec(parsed.zip)?.[0] ?? null;
  return {
    id: input.id,
    given: parseGivenName(input.firstName, input.preferredName),
    surname: parseSurname(input.lastName),
    birthDay: optionalDay(input.birthdate),
    phones,
    subscribers,
    email: normalizeEmail(input.email),
    zip5,
    regionAreaCodes,
    firstVisitDay: optionalDay(input.firstVisitDate),
    createdDay: toDay(input.createdAt),
    openedAtKnown: input.createdAt.length > 10,
  };
}

/** The seven digits after a North American number's area code, which a chart may give without it; null elsewhere. */
export function subscriberOf(number: E164): string | null {
  return number.length === 12 && number.startsWith('+1') ? number.slice(5) : null;
}

/** The chart gives the lead's number `number`: in full, completed with a local area code, or as its seven digits. */
export function chartCarriesNumber(patient: Patient, number: E164): boolean {
  if (patient.phones.some((p) => p.number === number)) return true;
  const subscriber = patient.subscribers.length ? subscriberOf(number) : null;
  return subscriber !== null && patient.subscribers.includes(subscriber);
}

export function normalizeLead(input: LeadInput, localAreaCodes: LocalAreaCodes): Lead {
  const phone = parsePhone(input.phone);
  const phones = phone ? resolvePhone(phone, localAreaCodes.practice) : [];
  return {
    id: input.id,
    day: toDay(input.occurredAt),
    name: parseLeadName(input.name, input.email),
    phones,
    areaCode: phone?.kind === 'full' ? areaCodeOf(phone.number) : null,
    email: normalizeEmail(input.email),
    birthDay: optionalDay(input.birthdate),
  };
}
