import { editDistance } from '../similarity.ts';

/**
 * Consumer mailbox providers patients actually use. Typo correction only ever maps *to* one of these, so a
 * practice's own or an employer's domain is never "corrected" into a stranger's.
 */
const PROVIDERS = [
  'gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'live.com', 'msn.com',
  'comcast.net', 'att.net', 'sbcglobal.net', 'verizon.net', 'bellsouth.net', 'cox.net', 'charter.net',
  'earthlink.net', 'ymail.com', 'rocketmail.com', 'protonmail.com', 'proton.me', 'me.com', 'mac.com',
];
const PROVIDER_SET = new Set(PROVIDERS);

/** Providers that ignore dots in the local part, so j.doe and jdoe are one mailbox. */
const DOTLESS = new Set(['gmail.com']);
const SAME_MAILBOX: Record<string, string> = { 'googlemail.com': 'gmail.com' };

/** Addresses typed to get past a required field; they identify nobody. */
const FILLER_LOCAL = new Set([
  'none', 'noemail', 'nomail', 'no', 'na', 'n.a', 'test', 'asdf', 'qwerty', 'email', 'unknown', 'null', 'noreply',
  'no-reply', 'donotreply', 'declined', 'refused', 'xxx', 'abc', 'a', 'x',
]);
const FILLER_DOMAIN = new Set(['none.com', 'noemail.com', 'nomail.com', 'na.com', 'test.com', 'asdf.com', 'email.none']);
/** RFC 2606 reserved top-level domains never deliver mail. */
const RESERVED_TLD = /\.(example|test|invalid|localhost)$/;

/**
 * Canonical form of an email address for matching, or null when it cannot identify a person: lower-cased,
 * `+tags` removed, dots removed for Gmail, and common domain typos (gmial.com, yaho.com, hotmial.com,
 * gmail.con, sbcglobalnet) corrected to the provider they were meant to be.
 */
export function normalizeEmail(raw: string): string | null {
  const text = raw.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1 || /\s/.test(text)) return null;
  let local = text.slice(0, at);
  const domain = correctDomain(text.slice(at + 1));
  if (FILLER_LOCAL.has(local) || FILLER_DOMAIN.has(domain) || RESERVED_TLD.test(domain)) return null;
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (DOTLESS.has(domain)) local = local.replaceAll('.', '');
  return local ? `${local}@${domain}` : null;
}

// Domains repeat far more than addresses do, and an unknown one is compared with every provider: corrections are
// remembered, a bounded number of them.
const RECENT_DOMAINS = 5_000;
const recentDomains = new Map<string, string>();

function correctDomain(typed: string): string {
  let corrected = recentDomains.get(typed);
  if (corrected === undefined) {
    if (recentDomains.size >= RECENT_DOMAINS) recentDomains.clear();
    recentDomains.set(typed, (corrected = correctWithProviders(typed)));
  }
  return corrected;
}

function correctWithProviders(typed: string): string {
  const domain = typed.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
  const same = SAME_MAILBOX[domain];
  if (same) return same;
  if (PROVIDER_SET.has(domain)) return domain;
  const undotted = domain.replaceAll('.', '');
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const provider of PROVIDERS) {
    if (provider.replaceAll('.', '') === undotted) return provider;
    // Short providers (me.com, aol.com) sit one edit away from real domains, so they need an exact hit.
    const allowed = provider.length >= 12 ? 2 : provider.length >= 7 ? 1 : 0;
    const distance = editDistance(domain, provider, allowed);
    if (distance <= allowed && distance < bestDistance) {
      best = provider;
      bestDistance = distance;
    }
  }
  return best ?? domain;
}
