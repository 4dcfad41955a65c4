import { firstNames } from './name-tables.ts';
import type { Random } from './random.ts';

const nicknamesByName = new Map(firstNames.map((n) => [n.name, n.nicknames]));

export function nicknameOf(rng: Random, firstName: string): string | undefined {
  const options = nicknamesByName.get(firstName);
  return options && options.length > 0 ? rng.pick(options) : undefined;
}

/** One keyboard slip: a dropped, doubled or swapped letter. */
export function typo(rng: Random, word: string): string {
  if (word.length < 4) return word;
  const i = rng.int(1, word.length - 2);
  switch (rng.int(0, 2)) {
    case 0: return word.slice(0, i) + word.slice(i + 1);
    case 1: return word.slice(0, i) + word[i] + word.slice(i);
    default: return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

/** Gmail ignores dots in the local part: j.ohn.smith@gmail.com reaches johnsmith@gmail.com. */
export function gmailDots(rng: Random, email: string): string {
  const [local, domain] = email.split('@') as [string, string];
  const plain = local.replaceAll('.', '');
  const at = rng.int(1, Math.max(1, plain.length - 1));
  return `${plain.slice(0, at)}.${plain.slice(at)}@${domain}`;
}

export function plusTag(rng: Random, email: string): string {
  const [local, domain] = email.split('@') as [string, string];
  return `${local}+${rng.pick(['dental', 'appts', 'promo', 'health'])}@${domain}`;
}

/** How a web form, a call tracker or a chat widget might write a 10-digit number. */
export function formatPhoneForLead(rng: Random, digits: string): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  return rng.weighted([
    [`+1${digits}`, 30], [`(${a}) ${b}-${c}`, 25], [`${a}-${b}-${c}`, 20], [`${a}.${b}.${c}`, 5], [digits, 15], [`1 ${a} ${b} ${c}`, 5],
  ] as const);
}

/** How Open Dental's front desk typed it. */
export function formatPhoneForPms(digits: string, style: 'paren' | 'dash' | 'dots' | 'plain'): string {
  const a = digits.slice(0, 3);
  const b = digits.slice(3, 6);
  const c = digits.slice(6);
  switch (style) {
    case 'paren': return `(${a})${b}-${c}`;
    case 'dash': return `${a}-${b}-${c}`;
    case 'dots': return `${a}.${b}.${c}`;
    default: return digits;
  }
}
