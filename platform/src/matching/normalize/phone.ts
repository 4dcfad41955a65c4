import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** A phone number in E.164 (`+16145356162`); the extension is dropped because it selects a desk, not a person. */
export type E164 = string;

/** A parsed phone cell: a full number, or a 7-digit local number still waiting for its area code. */
export type ParsedPhone = { kind: 'full'; number: E164 } | { kind: 'local'; subscriber: string };

/**
 * Parses one phone cell with libphonenumber (formats, `+1`, extensions). Filler numbers staff type to get past a
 * required field (000-000-0000, 555-5555, 123-456-7890) and strings that cannot be a number give null.
 */
export function parsePhone(raw: string): ParsedPhone | null {
  const text = raw.trim();
  if (!text) return null;
  // A lead is normalised several times on its way (its stored keys, settling, matching), and libphonenumber is the
  // costliest step of each: parses are remembered, a bounded number of them.
  let parsed = recentParses.get(text);
  if (parsed === undefined) {
    if (recentParses.size >= RECENT_PARSES) recentParses.clear();
    recentParses.set(text, (parsed = parseWithLibrary(text)));
  }
  return parsed;
}

const RECENT_PARSES = 10_000;
const recentParses = new Map<string, Readonly<ParsedPhone> | null>();

function parseWithLibrary(text: string): Readonly<ParsedPhone> | null {
  const parsed = parsePhoneNumberFromString(text, 'US');
  if (!parsed) return null;
  if (parsed.countryCallingCode !== '1') return parsed.isPossible() ? Object.freeze({ kind: 'full', number: parsed.number }) : null;
  const national = String(parsed.nationalNumber);
  if (national.length === 7) return isFillerSubscriber(national) ? null : Object.freeze({ kind: 'local', subscriber: national });
  if (national.length !== 10 || isFillerNanp(national)) return null;
  return Object.freeze({ kind: 'full', number: parsed.number });
}

/**
 * The E.164 numbers a parsed cell can mean. A local number gives one per area code of the practice's region,
 * because in overlay regions (614/380, 512/737) the missing area code is ambiguous.
 */
export function resolvePhone(phone: ParsedPhone, localAreaCodes: readonly string[]): E164[] {
  if (phone.kind === 'full') return [phone.number];
  return localAreaCodes.filter((code) => !isFillerNanp(code + phone.subscriber)).map((code) => `+1${code}${phone.subscriber}`);
}

/**
 * NANP numbers are NXX-NXX-XXXX: neither the area code nor the exchange starts with 0 or 1, so such numbers are
 * placeholders, as are numbers whose seven subscriber digits repeat one digit and the 555-01XX fiction block.
 */
function isFillerNanp(national: string): boolean {
  if (national.charCodeAt(0) <= 0x31 || national.charCodeAt(3) <= 0x31) return true;
  const subscriber = national.slice(3);
  return isFillerSubscriber(subscriber) || /^55501\d\d$/.test(subscriber);
}

function isFillerSubscriber(subscriber: string): boolean {
  return /^(\d)\1+$/.test(subscriber) || subscriber === '1234567' || subscriber === '4567890';
}

/**
 * Area codes local to a practice: per region (the 3-digit ZIP prefix of a chart's address), and across the whole
 * practice for records with no ZIP (leads, charts without an address).
 */
export interface LocalAreaCodes {
  region(zip: string): readonly string[] | null;
  practice: readonly string[];
}

/** Local area codes as data, so the platform can keep what a full run learned and match single leads with it later. */
export interface LocalAreaCodeTable {
  /** By 3-digit ZIP prefix. */
  regions: Record<string, readonly string[]>;
  practice: readonly string[];
}

export function localAreaCodesOf(table: LocalAreaCodeTable): LocalAreaCodes {
  const regions = new Map(Object.entries(table.regions));
  return { region: (zip) => regions.get(regionOf(zip)) ?? null, practice: table.practice };
}

/**
 * Learns local area codes from the charts themselves: an area code is local to a region when it carries at least
 * `minShare` of that region's full chart numbers, and local to the practice when it does so across all charts or
 * is local to regions holding at least `minShare` of them together. A practice (or an agency's import) spanning two metro
 * areas would otherwise lose each area's overlay code (380 beside 614, 623 beside 602) from the practice-wide set,
 * and a seven-digit number on a lead, which has no address, could never be completed with it.
 * This is what "the practice's area code" means when the engine is given no practice settings.
 */
export function inferLocalAreaCodeTable(
  charts: Iterable<{ zip: string; phones: readonly (ParsedPhone | null)[] }>,
  minShare = 0.1,
): LocalAreaCodeTable {
  const byRegion = new Map<string, Map<string, number>>();
  const overall = new Map<string, number>();
  const count = (counts: Map<string, number>, code: string) => counts.set(code, (counts.get(code) ?? 0) + 1);
  for (const chart of charts) {
    const region = regionOf(chart.zip);
    for (const phone of chart.phones) {
      const code = phone?.kind === 'full' ? areaCodeOf(phone.number) : null;
      if (!code) continue;
      count(overall, code);
      if (region) byRegion.set(region, count(byRegion.get(region) ?? new Map<string, number>(), code));
    }
  }
  const local = (counts: Map<string, number>): string[] => {
    let total = 0;
    for (const c of counts.values()) total += c;
    return [...counts].filter(([, c]) => c >= minShare * total).map(([code]) => code).sort();
  };
  const regions = Object.fromEntries([...byRegion].sort(([a], [b]) => a.localeCompare(b)).map(([region, counts]) => [region, local(counts)]));
  let numbers = 0;
  for (const c of overall.values()) numbers += c;
  // The numbers of the regions where each code is local: a metro area spans several ZIP prefixes.
  const localTo = new Map<string, number>();
  for (const [region, counts] of byRegion) {
    let held = 0;
    for (const c of counts.values()) held += c;
    for (const code of regions[region]!) localTo.set(code, (localTo.get(code) ?? 0) + held);
  }
  const practice = new Set(local(overall));
  for (const [code, held] of localTo) if (held >= minShare * numbers) practice.add(code);
  return { regions, practice: [...practice].sort() };
}

/**
 * The learned table with the practice's configured area code among its practice-wide codes: a new practice has too
 * few charts to learn from, and a configured code is the admin's word for what a seven-digit number means.
 */
export function withPracticeAreaCode(table: LocalAreaCodeTable, areaCode: string | null | undefined): LocalAreaCodeTable {
  if (!areaCode || table.practice.includes(areaCode)) return table;
  return { ...table, practice: [areaCode, ...table.practice] };
}

export function inferLocalAreaCodes(charts: Iterable<{ zip: string; phones: readonly (ParsedPhone | null)[] }>, minShare = 0.1): LocalAreaCodes {
  return localAreaCodesOf(inferLocalAreaCodeTable(charts, minShare));
}

const regionOf = (zip: string) => (/^\d{3}/.test(zip) ? zip.slice(0, 3) : '');

/** The 3-digit area code of a NANP number, or null for other countries. */
export function areaCodeOf(phone: E164): string | null {
  return phone.startsWith('+1') && phone.length === 12 ? phone.slice(2, 5) : null;
}
