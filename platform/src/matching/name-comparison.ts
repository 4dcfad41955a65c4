import { areGivenNameAliases } from './normalize/nicknames.ts';
import type { GivenName, LeadName, NameSpan, Surname } from './normalize/name.ts';
import { editDistance, jaroWinkler } from './similarity.ts';

/** How one reading of a lead's name compares with a chart's given name or surname, best first. */
export type NameOutcome = 'exact' | 'alias' | 'partial' | 'typo' | 'prefix' | 'disagree';
const RANK: Record<NameOutcome, number> = { exact: 5, alias: 4, partial: 4, typo: 3, prefix: 2, disagree: 0 };

/** One edit apart, or (for longer names) Jaro–Winkler close: "Mariia"/"Maria", "Whiatker"/"Whitaker". */
function similar(a: string, b: string): boolean {
  if (a.length < 4 || b.length < 4) return false;
  return editDistance(a, b, 1) <= 1 || (a.length >= 5 && b.length >= 5 && jaroWinkler(a, b) >= 0.92);
}

/** An initial ("J."), or the cut-off end of a caller-ID name long enough to mean something. */
function isPrefixReading(text: string, mayBeCut: boolean): boolean {
  return text.length === 1 || (mayBeCut && text.length >= 3);
}

function givenOutcome(token: string, given: GivenName, mayBeCut: boolean): NameOutcome {
  if (given.first.includes(token)) return 'exact';
  if (given.preferred.includes(token)) return 'alias';
  for (const g of given.all) if (areGivenNameAliases(token, g)) return 'alias';
  // A caller-ID name cut mid-word ("KATHER") is a prefix, however much it also looks like a typo.
  if (isPrefixReading(token, mayBeCut)) for (const g of given.all) if (g.startsWith(token)) return 'prefix';
  for (const g of given.all) if (similar(token, g)) return 'typo';
  return 'disagree';
}

function surnameOutcome(span: NameSpan, tokens: readonly string[], surname: Surname, mayBeCut: boolean): NameOutcome {
  const joined = span.joined;
  const single = span.end - span.start === 1;
  if (joined === surname.full) return 'exact';
  if (single && surname.parts.length > 1 && surname.parts.includes(joined)) return 'partial';
  if (!single) for (let t = span.start; t < span.end; t++) if (tokens[t] === surname.full) return 'partial';
  if (isPrefixReading(joined, mayBeCut)) {
    if (surname.full.startsWith(joined)) return 'prefix';
    for (const part of surname.parts) if (part.startsWith(joined)) return 'prefix';
  }
  if (similar(joined, surname.full)) return 'typo';
  if (single) for (const part of surname.parts) if (similar(joined, part)) return 'typo';
  return 'disagree';
}

const rankOf = (g: NameOutcome | null) => (g === null ? 0 : RANK[g]);

/** The given-name and surname outcomes of a comparison; null where one side has no such name. */
export interface NameComparison {
  given: NameOutcome | null;
  surname: NameOutcome | null;
}

/**
 * Compares a lead's free-text name with a chart's names. Which token is the given name and which the surname is
 * not known (forms say "Jane Smith", caller ID says "SMITH JANE", people swap them), so every split of the
 * tokens into one given name and one surname span is tried and the best kept.
 */
export function compareNames(lead: LeadName, given: GivenName, surname: Surname | null): NameComparison {
  const tokens = lead.tokens;
  const n = tokens.length;
  if (lead.kind !== 'person' || !n) return { given: null, surname: null };
  const hasGiven = given.all.length > 0;
  const givenAt: NameOutcome[] = [];
  for (let i = 0; i < n; i++) givenAt.push(hasGiven ? givenOutcome(tokens[i]!, given, lead.truncated && i === n - 1) : 'disagree');
  let bestGiven: NameOutcome | null = 'disagree';
  let bestSurname: NameOutcome = 'disagree';
  for (const span of lead.spans) {
    const s = surname ? surnameOutcome(span, tokens, surname, lead.truncated && span.end === n) : 'disagree';
    if (n === 1) {
      // A lone token is a first name ("Megan") unless it only fits the surname.
      const g = givenAt[0]!;
      if (RANK[s] > RANK[g]) return { given: null, surname: s };
      const hint = lead.surnameHint && surname ? surnameOutcome({ start: 0, end: 1, joined: lead.surnameHint }, [lead.surnameHint], surname, false) : 'disagree';
      return { given: hasGiven ? g : null, surname: hint === 'disagree' ? null : hint };
    }
    // Every token the surname: caller ID showing a double surname ("MOORE MARTINEZ") and nothing of the given name,
    // which it says nothing about — unless a reading with a given name fits better.
    const readings: (NameOutcome | null)[] = span.start === 0 && span.end === n ? [null] : [];
    for (let i = 0; i < n; i++) if (i < span.start || i >= span.end) readings.push(givenAt[i]!);
    for (const g of readings) {
      const total = rankOf(g) + RANK[s];
      const bestTotal = rankOf(bestGiven) + RANK[bestSurname];
      if (total > bestTotal || (total === bestTotal && rankOf(g) > rankOf(bestGiven))) {
        bestGiven = g;
        bestSurname = s;
      }
    }
  }
  return { given: hasGiven ? bestGiven : null, surname: surname ? bestSurname : null };
}
