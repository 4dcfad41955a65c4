/**
 * Folds a name for comparison: Unicode-decomposed with accents dropped (Pérez = Perez), lower case, apostrophes
 * joined (O'Brien = obrien), any other non-letter a separator. `ß`, `æ`, `ø`, `đ`, `ł` have no decomposition,
 * so they are spelled out the way people type them on a US keyboard.
 */
export function foldName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/đ/g, 'd')
    .replace(/ł/g, 'l')
    .replace(/['’`]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

const COURTESY = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'jr', 'sr', 'ii', 'iii', 'iv']);

/** Folded name tokens without titles and generational suffixes. */
function nameTokens(raw: string): string[] {
  const folded = foldName(raw);
  return folded ? folded.split(' ').filter((t) => !COURTESY.has(t)) : [];
}

/** How a lead's name field reads: a person's name, a carrier/placeholder label, or a spam/test submission. */
export type LeadNameKind = 'person' | 'placeholder' | 'spam';

export interface LeadName {
  kind: LeadNameKind;
  /** Folded tokens in the order given; callers and forms disagree on first/last order, so matching ignores it. */
  tokens: string[];
  /** Caller-ID names are cut at 15 characters, so the last token may be only the start of a name. */
  truncated: boolean;
  /** Every run of one to three tokens, joined: the readings of a surname ("de la cruz" = delacruz). */
  spans: NameSpan[];
  /**
   * A surname read off the email address when the name field holds only a given name ("Robert",
   * radams@gmail.com): a hint that counts when it agrees with a chart and is ignored when it does not.
   */
  surnameHint: string | null;
}

export interface NameSpan {
  start: number;
  end: number;
  joined: string;
}

/** The longest surname a lead's tokens are read as: "María de la Cruz" needs three. */
const MAX_SURNAME_TOKENS = 3;

function spansOf(tokens: readonly string[]): NameSpan[] {
  const spans: NameSpan[] = [];
  for (let start = 0; start < tokens.length; start++) {
    for (let end = start + 1; end <= Math.min(tokens.length, start + MAX_SURNAME_TOKENS); end++) {
      spans.push({ start, end, joined: tokens.slice(start, end).join('') });
    }
  }
  return spans;
}

/** Labels carriers show instead of a subscriber name (CNAM), and what web forms get when a visitor types none. */
const PLACEHOLDERS = new Set([
  'wireless caller', 'unknown', 'unknown name', 'unknown caller', 'unavailable', 'name unavailable', 'restricted',
  'private', 'private caller', 'private number', 'anonymous', 'no caller id', 'out of area', 'blocked', 'caller',
  'cell phone', 'mobile caller', 'na', 'n a', 'none',
]);
/** Words that mark a business rather than a person: a patient calling from work says nothing about their name. */
const BUSINESS = new Set([
  'llc', 'inc', 'corp', 'co', 'cpa', 'isd', 'dds', 'dmd', 'md', 'pllc', 'ltd', 'company', 'services', 'solutions',
  'group', 'clinic', 'dental', 'school', 'church', 'hospital', 'pharmacy', 'bank', 'office', 'team',
]);
/** Carrier spam labels, vendor pitches and test submissions: never a patient. */
const SPAM = new Set([
  'spam', 'scam', 'telemarketer', 'telemarketing', 'robocall', 'seo', 'marketing', 'merchant', 'svcs', 'insurance',
  'insuranc', 'listing', 'website', 'warranty', 'survey', 'test', 'asdf', 'qwerty', 'lorem', 'toll',
]);
const SPAM_NAMES = new Set(['john doe', 'jane doe']);
const STATES = new Set(
  ('al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or ' +
    'pa ri sc sd tn tx ut vt va wa wv wi wy dc pr').split(' '),
);
/** CNAM city display: the city padded to 12 characters, a space, the state — `ROUND ROCK   TX`. */
const CNAM_CITY = /^[A-Z .'-]{12} ([A-Z]{2})$/;
const CNAM_LENGTH = 15;

/** Reads a lead's name field; `email`, when the lead has one, may supply the surname a lone given name lacks. */
export function parseLeadName(raw: string, email = ''): LeadName {
  const text = raw.trim();
  const tokens = nameTokens(text);
  const joined = tokens.join(' ');
  const none = (kind: LeadNameKind): LeadName => ({ kind, tokens: [], truncated: false, spans: [], surnameHint: null });
  if (!tokens.length || /\d/.test(text)) return none('placeholder');
  if (SPAM_NAMES.has(joined) || tokens.some((t) => SPAM.has(t))) return none('spam');
  const city = CNAM_CITY.exec(text);
  if (city && STATES.has((city[1] ?? '').toLowerCase())) return none('placeholder');
  if (PLACEHOLDERS.has(joined) || PLACEHOLDERS.has(tokens.slice(0, -1).join(' '))) return none('placeholder');
  if (tokens.some((t) => BUSINESS.has(t))) return none('placeholder');
  const surnameHint = tokens.length === 1 && email ? surnameFromEmail(tokens[0]!, email) : null;
  return { kind: 'person', tokens, truncated: text.length === CNAM_LENGTH, spans: spansOf(tokens), surnameHint };
}

/** Shorter remainders ("jenny" → "y") are more often a longer given name than a surname. */
const MIN_EMAIL_SURNAME = 4;

/**
 * The surname in an email address typed with a lone given name: "jennifer_johnson", "jenniferjohnson",
 * "johnsonjennifer" and "jjohnson" all give "johnson" for Jennifer. Null when the address does not read that way.
 */
export function surnameFromEmail(given: string, email: string): string | null {
  const local = email.trim().toLowerCase().split('@')[0]?.split('+')[0] ?? '';
  const parts = local.split(/[^a-z]+/).filter(Boolean);
  if (parts.length >= 2) {
    const rest = parts.filter((p) => p !== given);
    return rest.length === parts.length - 1 && rest.length === 1 && rest[0]!.length >= 2 ? rest[0]! : null;
  }
  const letters = parts[0] ?? '';
  const rest = letters.startsWith(given) ? letters.slice(given.length)
    : letters.endsWith(given) ? letters.slice(0, -given.length)
    : letters[0] === given[0] ? letters.slice(1)
    : '';
  return rest.length >= MIN_EMAIL_SURNAME ? rest : null;
}

/** A patient's given names as the chart holds them: the legal first name and the preferred name, if any. */
export interface GivenName {
  first: string[];
  preferred: string[];
  /** Both together, the forms aliases, typos and truncations are checked against. */
  all: string[];
}

/** Spellings of a given-name field: each token, plus the joined form for hyphenated names (Min-jun = minjun). */
function givenForms(raw: string): string[] {
  const tokens = nameTokens(raw);
  return tokens.length > 1 ? [...tokens, tokens.join('')] : tokens;
}

export function parseGivenName(first: string, preferred: string): GivenName {
  const forms = { first: givenForms(first), preferred: givenForms(preferred) };
  return { ...forms, all: [...forms.first, ...forms.preferred] };
}

/**
 * A surname as the comparisons need it: the whole name with separators removed (`De La Cruz` = delacruz,
 * `Medina-Peña` = medinapena) and its meaningful parts, so one half of a double or hyphenated surname matches.
 */
export interface Surname {
  full: string;
  parts: string[];
}

const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'van', 'von', 'der', 'den', 'da', 'di', 'du', 'le', 'st']);

export function parseSurname(raw: string): Surname | null {
  const tokens = nameTokens(raw);
  if (!tokens.length) return null;
  const parts = tokens.filter((t) => !PARTICLES.has(t));
  return { full: tokens.join(''), parts: parts.length ? parts : tokens };
}
