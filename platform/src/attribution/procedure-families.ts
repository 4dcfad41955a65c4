/**
 * Major procedures, by CDT code family: level 3 revenue. Ranges are inclusive and compare the code's four digits.
 * Practices whose notion of "major" differs (endodontics, say) pass their own table to the engine.
 */
export interface ProcedureFamily {
  id: string;
  name: string;
  /** First and last CDT code of the family, e.g. `D6000`–`D6199`. */
  from: string;
  to: string;
}

export const majorProcedureFamilies: readonly ProcedureFamily[] = [
  { id: 'implants', name: 'Implant services', from: 'D6000', to: 'D6199' },
  { id: 'orthodontics', name: 'Orthodontics', from: 'D8000', to: 'D8999' },
  { id: 'crowns', name: 'Crowns (single restorations)', from: 'D2700', to: 'D2799' },
  { id: 'bridges', name: 'Fixed prosthodontics (bridges)', from: 'D6200', to: 'D6999' },
  { id: 'dentures', name: 'Removable prosthodontics (dentures, partials)', from: 'D5000', to: 'D5899' },
];

const cdtPattern = /^D(\d{4})$/i;

function cdtNumber(code: string): number | null {
  const match = cdtPattern.exec(code.trim());
  return match ? Number(match[1]) : null;
}

/** The family a code belongs to, or null (minor procedures, CPT codes of medical practices, typos). */
export function procedureFamilyOf(code: string, families: readonly ProcedureFamily[] = majorProcedureFamilies): ProcedureFamily | null {
  const number = cdtNumber(code);
  if (number === null) return null;
  for (const family of families) {
    const from = cdtNumber(family.from);
    const to = cdtNumber(family.to);
    if (from !== null && to !== null && number >= from && number <= to) return family;
  }
  return null;
}

/** A membership test built once per table, for classifying every procedure of a practice. */
export function majorProcedureTest(families: readonly ProcedureFamily[] = majorProcedureFamilies): (code: string) => boolean {
  const cache = new Map<string, boolean>();
  return (code) => {
    let major = cache.get(code);
    if (major === undefined) {
      major = procedureFamilyOf(code, families) !== null;
      cache.set(code, major);
    }
    return major;
  };
}
