import { addDays, dayNumber, dateOfDay, localStamp } from './dates.ts';
import { emailDomains, femaleFirstNames, firstNames, lastNames, maleFirstNames, type FirstName } from './name-tables.ts';
import { randomAddress } from './organisation.ts';
import { regions, type Region } from './places.ts';
import type { Random } from './random.ts';
import type {
  DemoAcquisition, DemoCampaign, DemoHousehold, DemoLocation, DemoPatient, DemoPatientStatus, DemoProvider, PracticeSpec,
} from './types.ts';

/** Hands out synthetic 555-exchange numbers: local area codes first, then other regions' (people keep old mobiles). */
export class PhoneBook {
  private readonly pool: string[];
  private cursor: number;
  private readonly stride: number;
  private size: number;

  constructor(rng: Random, localAreaCodes: readonly string[]) {
    const others = regions.flatMap((r) => r.areaCodes).filter((c) => !localAreaCodes.includes(c));
    this.pool = [...localAreaCodes, ...others];
    this.size = this.pool.length * 10_000;
    this.cursor = rng.int(0, this.size - 1);
    this.stride = 7_919; // prime, coprime with the pool size, so consecutive numbers look unrelated
  }

  /** A 10-digit number; numbers are unique until the pool is used up, then recycled like real carriers do. */
  next(localBias: number, rng: Random): string {
    const localSize = Math.min(this.size, 40_000);
    this.cursor = (this.cursor + this.stride) % this.size;
    const index = rng.chance(localBias) ? this.cursor % localSize : this.cursor;
    const areaCode = this.pool[Math.floor(index / 10_000)]!;
    const line = index % 10_000;
    return `${areaCode}555${String(line === 1212 ? 1213 : line).padStart(4, '0')}`;
  }
}

interface PeopleInput {
  rng: Random;
  spec: PracticeSpec;
  region: Region;
  startDate: string;
  asOf: string;
  locations: readonly DemoLocation[];
  providers: readonly DemoProvider[];
  campaigns: readonly DemoCampaign[];
}

const emailDomainNames = emailDomains;

/** Families and the patients in them: the same surname, a shared home phone and address, one guarantor. */
export function buildPeople(input: PeopleInput): { households: DemoHousehold[]; patients: DemoPatient[] } {
  const { rng, spec, region, startDate, asOf, locations, providers, campaigns } = input;
  const phones = new PhoneBook(rng, region.areaCodes);
  const households: DemoHousehold[] = [];
  const patients: DemoPatient[] = [];
  const usedEmails = new Set<string>();
  const windowStart = dayNumber(startDate);
  const windowEnd = dayNumber(asOf) - 3;

  while (patients.length < spec.patients) {
    const size = Math.min(spec.patients - patients.length, rng.weighted([[1, 45], [2, 25], [3, 12], [4, 12], [5, 6]] as const));
    const householdId = households.length + 1;
    const familyName = rng.pick(lastNames);
    const address = randomAddress(rng, region);
    const homePhone = rng.chance(0.45) ? phones.next(0.95, rng) : null;
    const locationId = locations.length > 0 ? rng.pick(locations).id : 0;
    const dentists = providers.filter((p) => p.role === 'dentist' && (p.locationId === locationId || locationId === 0));
    const isNew = rng.chance(0.68);
    const firstVisitDay = isNew ? rng.int(windowStart, windowEnd) : rng.int(windowStart - 5 * 365, windowStart - 1);
    const acquisition = chooseAcquisition(rng, isNew, campaigns, patients);
    const guarantorId = patients.length + 1;
    households.push({ id: householdId, guarantorId, lastName: familyName, homePhone, address });

    for (let member = 0; member < size; member++) {
      const role = member === 0 ? 'guarantor' : member === 1 && size > 1 && rng.chance(0.7) ? 'spouse' : 'child';
      const guarantorGender = patients[guarantorId - 1]?.gender;
      const gender: 'Female' | 'Male' = role === 'spouse' ? (guarantorGender === 'Female' ? 'Male' : 'Female') : rng.chance(0.52) ? 'Female' : 'Male';
      const first = rng.pick(gender === 'Female' ? femaleFirstNames : maleFirstNames);
      const middle = rng.pick(firstNames);
      const age = role === 'child' ? rng.int(3, 17) : rng.int(22, 78);
      const birthYear = Number(asOf.slice(0, 4)) - age;
      const birthDate = rng.chance(0.04) ? null : dateOfDay(rng.int(dayNumber(`${birthYear}-01-01`), dayNumber(`${birthYear}-12-28`)));
      // Spouses who took the family name at marriage: the lead may still carry the maiden name.
      const maidenName = role === 'spouse' && gender === 'Female' && rng.chance(0.55) ? rng.pick(lastNames) : null;
      const id = patients.length + 1;
      const isAdult = role !== 'child';
      const ownFirstVisit = member === 0 ? firstVisitDay : Math.min(windowEnd, firstVisitDay + rng.int(0, rng.chance(0.7) ? 3 : 120));
      const firstVisitOn = dateOfDay(ownFirstVisit);
      const status = chooseStatus(rng, firstVisitOn, asOf);
      patients.push({
        id,
        householdId,
        guarantorId,
        firstName: first.name,
        lastName: familyName,
        middleInitial: middle.name[0] ?? '',
        preferredName: choosePreferredName(rng, first, middle),
        maidenName,
        gender: rng.chance(0.005) ? 'Unknown' : gender,
        birthDate,
        mobilePhone: isAdult || age >= 14 ? (rng.chance(0.9) ? phones.next(0.85, rng) : null) : null,
        workPhone: isAdult && rng.chance(0.12) ? phones.next(0.95, rng) : null,
        phoneFormat: rng.weighted([['paren', 40], ['dash', 35], ['dots', 5], ['plain', 20]] as const),
        email: chooseEmail(rng, first.name, familyName, isAdult, patients[guarantorId - 1]?.email ?? null, usedEmails),
        status,
        locationId,
        primaryProviderId: dentists.length > 0 ? rng.pick(dentists).id : 0,
        firstVisitOn,
        // Open Dental sets DateFirstVisit heuristically; a few rows drift to "none" despite completed work.
        recordedFirstVisitOn: status === 'Prospective' || rng.chance(0.03) ? null : firstVisitOn,
        createdOn: addDays(firstVisitOn, -rng.int(1, 21)),
        isNewInWindow: ownFirstVisit >= windowStart,
        interest: acquisition.campaignIndex !== null ? campaigns[acquisition.campaignIndex]!.interest : rng.weighted([['general', 80], ['emergency', 8], ['cosmetic', 6], ['implants', 3], ['invisalign', 3]] as const),
        acquisition: member === 0 ? acquisition : { channel: isNew ? 'family' : 'unknown', campaignIndex: null, referringPatientId: guarantorId },
        updatedAt: localStamp(firstVisitOn, 8 * 60 + rng.int(0, 540), rng.int(0, 59)),
      });
    }
  }
  return { households, patients };
}

function chooseAcquisition(rng: Random, isNew: boolean, campaigns: readonly DemoCampaign[], patients: readonly DemoPatient[]): DemoAcquisition {
  if (!isNew) return { channel: 'unknown', campaignIndex: null, referringPatientId: null };
  const channel = rng.weighted([
    ['paid-search', 26], ['paid-social', 10], ['organic-search', 14], ['local', 14], ['patient-referral', 16],
    ['doctor-referral', 4], ['insurance-directory', 8], ['walk-in', 8],
  ] as const);
  const paid = campaigns.map((c, i) => [c, i] as const).filter(([c]) => c.channel === channel);
  const campaignIndex = paid.length > 0 ? rng.pick(paid)[1] : null;
  const referringPatientId = channel === 'patient-referral' && patients.length > 0 ? rng.int(1, patients.length) : null;
  return { channel: channel === 'patient-referral' && referringPatientId === null ? 'walk-in' : channel, campaignIndex, referringPatientId };
}

function chooseStatus(rng: Random, firstVisitOn: string, asOf: string): DemoPatientStatus {
  if (firstVisitOn > addDays(asOf, -30) && rng.chance(0.25)) return 'Prospective';
  return rng.weighted([['Patient', 880], ['Inactive', 70], ['Archived', 25], ['NonPatient', 8], ['Deceased', 5], ['Deleted', 5]] as const);
}

function choosePreferredName(rng: Random, first: FirstName, middle: FirstName): string {
  if (first.nicknames.length > 0 && rng.chance(0.18)) return rng.pick(first.nicknames);
  if (rng.chance(0.02)) return middle.name; // goes by their middle name
  return '';
}

function chooseEmail(
  rng: Random, first: string, last: string, isAdult: boolean, guarantorEmail: string | null, used: Set<string>,
): string | null {
  if (!isAdult) return guarantorEmail !== null && rng.chance(0.35) ? guarantorEmail : null; // kids share a parent's inbox
  if (rng.chance(0.2)) return null;
  const f = asciiLetters(first);
  const l = asciiLetters(last);
  const style = rng.int(0, 4);
  const base = style === 0 ? `${f}.${l}` : style === 1 ? `${f}${l}${rng.int(1, 99)}` : style === 2 ? `${f[0]}${l}` : style === 3 ? `${f}_${l}${rng.int(60, 99)}` : `${l}.${f}`;
  const domain = rng.weighted(emailDomainNames);
  let email = `${base}@${domain}`;
  for (let n = 2; used.has(email); n++) email = `${base}${n}@${domain}`;
  used.add(email);
  return email;
}

export function asciiLetters(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase() || 'x';
}
