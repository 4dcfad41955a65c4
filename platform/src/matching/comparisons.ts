import { compareNames } from './name-comparison.ts';
import { chartCarriesNumber, subscriberOf, type Lead, type Patient } from './records.ts';
import { editDistance } from './similarity.ts';

/**
 * The roles a candidate chart can play for a lead. `contact` is the person who called or wrote. `booked` is a
 * patient that contact booked whose chart carries the lead's phone, email or name (a child on the parent's
 * number); `family` one booked along with a chart the lead already links, found only through it (the spouse
 * registered in the same visit). The lead is not about a `relative` (an adult of the household while someone else
 * is named as the caller), a `dependant` (a child of the household not being booked) or a `stranger` (a namesake,
 * the previous owner of a recycled number). The first three are links. Fellegi–Sunter's match/non-match split is
 * the special case of one link and one non-link role; the finer roles keep its independence assumption honest
 * (relatives agree on phone but not given name, strangers the other way round).
 */
export const ROLES = ['contact', 'booked', 'family', 'relative', 'dependant', 'stranger'] as const;
export type Role = (typeof ROLES)[number];
export const LINK_ROLES: readonly Role[] = ['contact', 'booked', 'family'];

/**
 * One comparison and its outcome levels, strongest agreement first. `prior` is only the starting guess for EM of
 * how often each level occurs in each role; the weights used for decisions are estimated from each practice's own
 * data. A prior of 0 is a structural zero: the level cannot occur in that role, and EM keeps it so. A `neutral`
 * level (field missing on either side) carries no evidence either way.
 */
export interface LevelSpec {
  name: string;
  prior: Readonly<Record<Role, number>>;
  neutral?: boolean;
}
export interface ComparisonSpec {
  name: string;
  levels: readonly LevelSpec[];
}

/** Priors in `ROLES` order: contact, booked, family, relative, dependant, stranger. */
const level = (name: string, ...prior: [number, number, number, number, number, number]): LevelSpec => ({
  name,
  prior: Object.fromEntries(ROLES.map((role, r) => [role, prior[r]])) as Record<Role, number>,
});
const missing: LevelSpec = { ...level('missing', 1, 1, 1, 1, 1, 1), neutral: true };

// A `family` chart was found only through another chart, so it cannot agree with the lead on phone or email:
// agreement would have made it a direct candidate.
const PHONE: ComparisonSpec = {
  name: 'phone',
  levels: [
    // `exact`: the number is on this chart only; `shared`: a household number on several charts.
    level('exact', 0.6, 0.1, 0, 0.1, 0.05, 0.05),
    level('shared', 0.3, 0.5, 0, 0.75, 0.8, 0.02),
    level('typo', 0.02, 0.01, 0.02, 0.01, 0.01, 0.01),
    level('disagree', 0.08, 0.39, 0.98, 0.14, 0.14, 0.92),
    missing,
  ],
};
const EMAIL: ComparisonSpec = {
  name: 'email',
  levels: [
    level('exact', 0.6, 0.1, 0, 0.05, 0.02, 0.02),
    level('shared', 0.2, 0.4, 0, 0.4, 0.3, 0.02),
    level('typo', 0.05, 0.02, 0.02, 0.01, 0.01, 0.01),
    level('disagree', 0.15, 0.48, 0.98, 0.54, 0.67, 0.95),
    missing,
  ],
};
// Whoever the lead names is the contact or a namesake: a relative or dependant is, by definition, not the one named.
const GIVEN: ComparisonSpec = {
  name: 'given_name',
  levels: [
    level('exact', 0.7, 0.05, 0.02, 0, 0, 0.45),
    level('alias', 0.12, 0.02, 0.01, 0, 0, 0.1),
    level('typo', 0.08, 0.03, 0.03, 0, 0, 0.1),
    level('prefix', 0.04, 0.03, 0.02, 0.02, 0.02, 0.05),
    level('disagree', 0.06, 0.57, 0.62, 0.98, 0.68, 0.2),
    // Not neutral: with no name on the lead (a caller-ID label, a blank form) an adult of the household is hardly
    // ever the relative someone else was named instead of, so it changes which roles the charts play.
    level('missing', 0.2, 0.3, 0.3, 0.02, 0.3, 0.1),
  ],
};
// Agreeing on a surname many charts carry is weaker evidence than on a rare one: namesakes are what common names
// have. Exact agreement therefore comes in three levels by how common the surname is among the practice's charts
// (its thirds, counted per chart: `SharingCounts.surnameFrequency`), so EM weighs each on its own (Fellegi–Sunter's
// frequency-based weights, learned rather than computed). Priors split the one exact level with namesakes leaning
// to common names.
const SURNAME: ComparisonSpec = {
  name: 'surname',
  levels: [
    level('exact', 0.27, 0.2, 0.17, 0.25, 0.25, 0.2),
    level('exact_rare', 0.27, 0.2, 0.17, 0.25, 0.25, 0.1),
    level('exact_common', 0.26, 0.2, 0.16, 0.25, 0.25, 0.3),
    level('partial', 0.05, 0.1, 0.1, 0.1, 0.1, 0.15),
    level('typo', 0.05, 0.02, 0.05, 0.02, 0.02, 0.05),
    level('prefix', 0.03, 0.02, 0.02, 0.01, 0.01, 0.05),
    level('disagree', 0.07, 0.26, 0.33, 0.12, 0.12, 0.15),
    missing,
  ],
};
const BIRTHDATE: ComparisonSpec = {
  name: 'birthdate',
  levels: [
    level('exact', 0.9, 0.02, 0.02, 0.01, 0.01, 0.01),
    level('near', 0.05, 0.03, 0.03, 0.02, 0.02, 0.02),
    level('disagree', 0.05, 0.95, 0.95, 0.97, 0.97, 0.97),
    missing,
  ],
};

/**
 * Whether the lead's phone number is local to the chart's address: the lead sources carry no address, but a
 * namesake two states away rarely calls from a local number.
 */
const REGION: ComparisonSpec = {
  name: 'region',
  levels: [level('local', 0.9, 0.9, 0.9, 0.9, 0.9, 0.6), level('elsewhere', 0.1, 0.1, 0.1, 0.1, 0.1, 0.4), missing],
};

/**
 * When the chart was opened relative to the lead, for a patient not yet seen by then; or how long before the lead
 * the patient's first visit was. Front desks open a chart when they book, so a chart opened the day of a call is
 * the call's booking, one opened in the month before it with the first visit still to come a booking in
 * progress. Crossed with whether the patient was a minor then: children do not call, so a child's chart links to
 * a lead only as one being booked, while an adult's existing chart can be the caller's own.
 */
const TIMING_BUCKETS = ['before', 'same', 'soon', 'weeks', 'quarter', 'year', 'later', 'pending', 'existing', 'long_ago'] as const;
type TimingBucket = (typeof TIMING_BUCKETS)[number];
/**
 * A booking opens the chart within a scheduling horizon (a quarter year) of the call, never for a patient already
 * seen: the other buckets are structural zeros for the booked roles. The person who got in touch can be an
 * existing patient, or someone who inquired long before finally coming in. The non-link roles' timing is not
 * these guesses but chance (see `chanceTiming`).
 */
const TIMING_PRIOR: Record<TimingBucket, [number, number, number, number, number, number]> = {
  before: [0.04, 0.04, 0.04, 0.03, 0.03, 0.03],
  same: [0.3, 0.45, 0.45, 0.03, 0.03, 0.03],
  soon: [0.12, 0.2, 0.2, 0.04, 0.04, 0.04],
  weeks: [0.1, 0.15, 0.15, 0.05, 0.05, 0.05],
  quarter: [0.04, 0.05, 0.05, 0.06, 0.06, 0.06],
  year: [0.04, 0, 0, 0.12, 0.12, 0.12],
  later: [0.01, 0, 0, 0.1, 0.1, 0.1],
  pending: [0.08, 0.15, 0.15, 0.03, 0.03, 0.03],
  existing: [0.21, 0, 0, 0.32, 0.32, 0.32],
  long_ago: [0.1, 0, 0, 0.25, 0.25, 0.25],
};
/**
 * Age at the time of the lead. Children do not call; past 65 a household's calls more often come from a landline
 * shared by a couple, shown under the account holder's name, so whom the call is about is less certain.
 */
const AGE_BANDS = ['adult', 'minor', 'senior'] as const;
type AgeBand = (typeof AGE_BANDS)[number];
/** Share of each role in each age band (priors only): relatives are adults, dependants children. */
const AGE_SHARE: Record<AgeBand, [number, number, number, number, number, number]> = {
  adult: [0.77, 0.4, 0.35, 0.75, 0, 0.65],
  minor: [0.03, 0.5, 0.5, 0, 1, 0.15],
  senior: [0.2, 0.1, 0.15, 0.25, 0, 0.2],
};
const TIMING: ComparisonSpec = {
  name: 'timing',
  levels: AGE_BANDS.flatMap((age) =>
    TIMING_BUCKETS.map((bucket) => {
      const p = TIMING_PRIOR[bucket].map((x, r) => x * AGE_SHARE[age][r]!);
      return level(`${age}_${bucket}`, p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!);
    }),
  ),
};
/**
 * How the chart became a candidate: through the lead's own phone, email or name (`direct`), or only through a
 * chart the lead already links: registered together with it (`coregistered`), or of its household (sharing a
 * phone or email, or surname and ZIP) and opened at the time of the lead (`related`). Only `family` and
 * `relative` charts can be found the second way.
 */
const HOUSEHOLD: ComparisonSpec = {
  name: 'household',
  levels: [
    level('direct', 1, 1, 0, 0.9, 0.9, 1),
    level('coregistered', 0, 0, 0.7, 0.05, 0.05, 0),
    level('related', 0, 0, 0.3, 0.05, 0.05, 0),
  ],
};

/**
 * Whether the household booked anyone else between the lead and a child's chart being opened. Children do not get
 * in touch themselves: a child's chart is opened when someone books the child, and a call or form is followed by
 * its own booking, the charts it opens coming next (minutes to weeks later). When another chart with the lead's
 * phone or email was opened after the lead and before this child's (and not registered together with it), the
 * household has booked since, and the child more likely came with a later contact. `next`: no such booking in
 * between; `superseded`: one in between. Missing (neutral) for adults (the person who got in touch may open their
 * own chart at any time, after the children's), for charts already open at the lead or opened beyond the booking
 * horizon, for charts without the lead's contact details and for charts found through household context.
 */
const SEQUENCE: ComparisonSpec = {
  name: 'sequence',
  levels: [level('next', 0.8, 0.9, 0.9, 0.6, 0.6, 0.7), level('superseded', 0.2, 0.1, 0.1, 0.4, 0.4, 0.3), missing],
};

/** Every comparison, in the order of a pair's comparison vector. */
export const COMPARISONS: readonly ComparisonSpec[] = [PHONE, EMAIL, GIVEN, SURNAME, BIRTHDATE, REGION, TIMING, HOUSEHOLD, SEQUENCE];
export const HOUSEHOLD_INDEX = COMPARISONS.indexOf(HOUSEHOLD);
export const SEQUENCE_INDEX = COMPARISONS.indexOf(SEQUENCE);

const indexOf = (spec: ComparisonSpec) => Object.fromEntries(spec.levels.map((l, i) => [l.name, i])) as Record<string, number>;
const P = indexOf(PHONE);
const E = indexOf(EMAIL);
const G = indexOf(GIVEN);
const S = indexOf(SURNAME);
const B = indexOf(BIRTHDATE);
const R = indexOf(REGION);
const H = indexOf(HOUSEHOLD);

/**
 * How many charts carry a phone number or email address, so a household number reads weaker than a personal one;
 * and how common a surname is among the charts (`rare`, `common` or in between).
 */
export interface SharingCounts {
  phone(number: string): number;
  /** Charts giving these seven digits without an area code. */
  subscriber(digits: string): number;
  email(address: string): number;
  surnameFrequency(surname: string): 'rare' | 'middle' | 'common';
}

/** Fills the lead-versus-chart part of a comparison vector: every comparison but `household` and `sequence`. */
export function compareIdentity(lead: Lead, patient: Patient, sharing: SharingCounts, out: Uint8Array): void {
  out[0] = comparePhone(lead, patient, sharing);
  out[1] = compareEmail(lead, patient, sharing);
  const names = compareNames(lead.name, patient.given, patient.surname);
  out[2] = names.given === null ? G.missing! : G[names.given]!;
  out[3] = names.surname === null ? S.missing! : names.surname === 'exact' ? surnameExactLevel(patient, sharing) : S[names.surname]!;
  out[4] = compareBirthdate(lead.birthDay, patient.birthDay);
  out[5] = compareRegion(lead.areaCode, patient.regionAreaCodes);
  out[6] = timingLevel(lead.day, patient);
}

function surnameExactLevel(patient: Patient, sharing: SharingCounts): number {
  const frequency = patient.surname ? sharing.surnameFrequency(patient.surname.full) : 'middle';
  return frequency === 'rare' ? S.exact_rare! : frequency === 'common' ? S.exact_common! : S.exact!;
}

/**
 * The surname counts that split a practice's charts into thirds by how many charts share their surname: at most
 * `rare` charts share a rare surname, more than `common` a common one.
 */
export function surnameFrequencyCuts(countsPerChart: readonly number[]): { rare: number; common: number } {
  const sorted = [...countsPerChart].sort((a, b) => a - b);
  if (!sorted.length) return { rare: 0, common: Number.POSITIVE_INFINITY };
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { rare: at(1 / 3), common: at(2 / 3) };
}

function comparePhone(lead: Lead, patient: Patient, sharing: SharingCounts): number {
  if (!lead.phones.length || !patient.phones.length) return P.missing!;
  let typo = false;
  for (const number of lead.phones) {
    for (const own of patient.phones) {
      if (own.number === number) return sharing.phone(number) > 1 ? P.shared! : P.exact!;
      if (!typo && oneKeystrokeApart(own.number, number)) typo = true;
    }
  }
  for (const number of lead.phones) {
    const subscriber = subscriberOf(number);
    if (subscriber !== null && patient.subscribers.includes(subscriber)) {
      return sharing.phone(number) + sharing.subscriber(subscriber) > 1 ? P.shared! : P.exact!;
    }
  }
  return typo ? P.typo! : P.disagree!;
}

/** Same length and one digit wrong, or two neighbouring digits swapped: how phone numbers get mistyped. */
function oneKeystrokeApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    if (first < 0) first = i;
    else return i === first + 1 && a[first] === b[i] && a[i] === b[first] && a.slice(i + 1) === b.slice(i + 1);
  }
  return first >= 0;
}

function compareEmail(lead: Lead, patient: Patient, sharing: SharingCounts): number {
  if (!lead.email || !patient.email) return E.missing!;
  if (lead.email === patient.email) return sharing.email(lead.email) > 1 ? E.shared! : E.exact!;
  const [leadLocal = '', leadDomain] = lead.email.split('@');
  const [ownLocal = '', ownDomain] = patient.email.split('@');
  return leadDomain === ownDomain && leadLocal.length >= 4 && editDistance(leadLocal, ownLocal, 1) <= 1 ? E.typo! : E.disagree!;
}

function compareBirthdate(leadDay: number | null, patientDay: number | null): number {
  if (leadDay === null || patientDay === null) return B.missing!;
  if (leadDay === patientDay) return B.exact!;
  const a = new Date(leadDay * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const b = new Date(patientDay * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const swapped = a.slice(0, 4) + a.slice(6, 8) + a.slice(4, 6) === b;
  return swapped || editDistance(a, b, 1) <= 1 ? B.near! : B.disagree!;
}

function compareRegion(areaCode: string | null, local: readonly string[] | null): number {
  if (areaCode === null || local === null) return R.missing!;
  return local.includes(areaCode) ? R.local! : R.elsewhere!;
}

const YEAR = 365.25;
/** A booking opens the chart within a quarter year of the call (the `quarter` timing bucket's end). */
const BOOKING_HORIZON_DAYS = 90;
const ADULT_AGE = 18;
const SENIOR_AGE = 65;

function minorAt(day: number, patient: Patient): boolean {
  return patient.birthDay !== null && day - patient.birthDay < ADULT_AGE * YEAR;
}

/** The patient's age band on `day`; an adult when the chart has no birthdate. */
function ageBandAt(day: number, patient: Patient): AgeBand {
  if (patient.birthDay === null) return 'adult';
  const age = day - patient.birthDay;
  return age < ADULT_AGE * YEAR ? 'minor' : age >= SENIOR_AGE * YEAR ? 'senior' : 'adult';
}

function timingLevel(leadDay: number, patient: Patient): number {
  const seenBefore = patient.firstVisitDay === null ? null : patient.firstVisitDay - Math.floor(leadDay);
  const opened = patient.createdDay - leadDay;
  const bucket: TimingBucket =
    seenBefore !== null && seenBefore < -1 ? (seenBefore < -3 * YEAR ? 'long_ago' : 'existing')
    : opened < -30 ? 'existing'
    : opened < -1 ? 'pending'
    : opened < 0 && patient.openedAtKnown ? 'before'
    : opened <= 2 ? 'same'
    : opened <= 14 ? 'soon'
    : opened <= 45 ? 'weeks'
    : opened <= BOOKING_HORIZON_DAYS ? 'quarter'
    : opened <= YEAR ? 'year'
    : 'later';
  return AGE_BANDS.indexOf(ageBandAt(leadDay, patient)) * TIMING_BUCKETS.length + TIMING_BUCKETS.indexOf(bucket);
}

/**
 * How timing comes out for a lead and a chart that have nothing to do with each other: every chart against the
 * spread of lead dates (64 quantiles of it). The non-link roles take this distribution as given, and only their
 * split between age bands is learned: a relative's first visit falls where it falls, whenever the lead
 * came. That is what lets EM tell a child booked by the call from a child who merely shares the number.
 */
export function chanceTiming(patients: Iterable<Patient>, leadDays: readonly number[]): Record<AgeBand, number[]> {
  const sorted = [...leadDays].sort((a, b) => a - b);
  const q = Math.min(64, sorted.length);
  const quantiles = Array.from({ length: q }, (_, j) => sorted[Math.floor(((j + 0.5) / q) * sorted.length)]!);
  const counts = new Float64Array(TIMING.levels.length);
  for (const patient of patients) for (const day of quantiles) counts[timingLevel(day, patient)]! += 1;
  const part = (age: AgeBand) => {
    // One pseudo-count per level: by chance, no timing is impossible.
    const values = TIMING.levels.map((l, i) => (l.name.startsWith(`${age}_`) ? counts[i]! + 1 : 0));
    const total = values.reduce((a, b) => a + b, 0);
    return values.map((v) => v / total);
  };
  return { adult: part('adult'), minor: part('minor'), senior: part('senior') };
}

export const TIMING_INDEX = COMPARISONS.indexOf(TIMING);

/* ---------------------------------------------------------------- household */

/**
 * Charts a family registers together are opened minutes apart. How many minutes is learned from each practice's
 * charts (`coregistrationWindow`); this is the most it may be, and what is used when there is too little to learn
 * from.
 */
export const MAX_COREGISTRATION_MINUTES = 30;
/** Gaps this long (in minutes) between charts of one household are taken as the background of unrelated openings. */
const BACKGROUND_MINUTES = { from: 30, to: 60 };
/** Fewer household pairs opened close together than this teach nothing about the window. */
const MIN_COREGISTERED_PAIRS = 20;
/** The share of a household's registrations-together the window must hold. */
const COREGISTRATION_COVERAGE = 0.95;

/**
 * How long (in days) a front desk takes to register a family at one visit, learned from the gaps in minutes
 * between the opening times of charts of one household (sharing a phone, an email, or surname and ZIP) opened
 * within an hour of each other: registrations together pile up in the first minutes above the even background of
 * household members who happened to be opened the same hour. The window is the shortest one holding 95 % of that
 * excess, at most `MAX_COREGISTRATION_MINUTES`.
 */
export function coregistrationWindow(gapsInMinutes: Iterable<number>): number {
  const counts = new Float64Array(BACKGROUND_MINUTES.to);
  for (const gap of gapsInMinutes) if (gap >= 0 && gap < BACKGROUND_MINUTES.to) counts[Math.floor(gap)]! += 1;
  let background = 0;
  for (let m = BACKGROUND_MINUTES.from; m < BACKGROUND_MINUTES.to; m++) background += counts[m]!;
  background /= BACKGROUND_MINUTES.to - BACKGROUND_MINUTES.from;
  const excess = Array.from(counts.subarray(0, MAX_COREGISTRATION_MINUTES), (c) => Math.max(0, c - background));
  const total = excess.reduce((a, b) => a + b, 0);
  if (total < MIN_COREGISTERED_PAIRS) return MAX_COREGISTRATION_MINUTES / 1440;
  let held = 0;
  for (let m = 0; m < excess.length; m++) {
    held += excess[m]!;
    if (held >= COREGISTRATION_COVERAGE * total) return (m + 1) / 1440;
  }
  return MAX_COREGISTRATION_MINUTES / 1440;
}

function sharesContact(a: Patient, b: Patient): boolean {
  if (a.email && a.email === b.email) return true;
  return a.phones.some((p) => b.phones.some((q) => q.number === p.number));
}

function sharesSurname(a: Patient, b: Patient): boolean {
  if (!a.surname || !b.surname) return false;
  const bParts = b.surname.parts;
  return a.surname.parts.some((p) => bParts.includes(p));
}

/** A household chart's level and the anchors it hangs on: its link can be no surer than theirs. */
export interface HouseholdMatch {
  level: number;
  anchors: string[];
}

/**
 * The household level of a chart found through the charts (`anchors`) the lead already links: opened within the
 * co-registration window (`windowDays`) of an anchor at the same ZIP or with the same contact details or surname
 * means registered together (one call booking a family); sharing a phone or email, or surname and ZIP, with an
 * anchor means related. Null when it is neither.
 */
export function householdLevel(patient: Patient, anchors: readonly Patient[], windowDays: number): HouseholdMatch | null {
  const together: string[] = [];
  const related: string[] = [];
  for (const anchor of anchors) {
    if (anchor.id === patient.id) continue;
    const contact = sharesContact(anchor, patient);
    const surname = sharesSurname(anchor, patient);
    const sameZip = anchor.zip5 !== null && anchor.zip5 === patient.zip5;
    // Minutes apart at one ZIP is a family at the desk; the same day at one ZIP (when only the day is known) is not.
    const neighbours = sameZip && anchor.openedAtKnown && patient.openedAtKnown;
    if (Math.abs(anchor.createdDay - patient.createdDay) <= windowDays && (contact || surname || neighbours)) together.push(anchor.id);
    else if (contact || (sameZip && surname)) related.push(anchor.id);
  }
  if (together.length) return { level: H.coregistered!, anchors: together };
  return related.length ? { level: H.related!, anchors: related } : null;
}

const Q = indexOf(SEQUENCE);

/** Whether the lead's own phone number or email address is on the chart: the household the lead came from. */
export function sharesLeadContact(lead: Lead, patient: Patient): boolean {
  if (lead.email && lead.email === patient.email) return true;
  return lead.phones.some((n) => chartCarriesNumber(patient, n));
}

/**
 * The sequence level of a chart the lead's own keys reached (see `SEQUENCE`). `bookings` are the opening days of
 * the charts sharing the lead's contact details opened after the lead, ascending; a booking within `windowDays`
 * before this chart was registered together with it, not before it.
 */
export function sequenceLevel(lead: Lead, patient: Patient, bookings: readonly number[], windowDays: number): number {
  const opened = patient.createdDay - lead.day;
  if (opened <= 0 || opened > BOOKING_HORIZON_DAYS || !minorAt(lead.day, patient) || !sharesLeadContact(lead, patient)) return Q.missing!;
  for (const opened of bookings) {
    if (opened >= patient.createdDay - windowDays) break;
    if (opened > lead.day) return Q.superseded!;
  }
  return Q.next!;
}

export const SEQUENCE_MISSING = Q.missing!;
export const DIRECT_LEVEL = H.direct!;
export const COREGISTERED_LEVEL = H.coregistered!;
