import { createHmac } from 'node:crypto';
import { givenNameAliases } from './normalize/nicknames.ts';
import { subscriberOf, type Lead, type Patient } from './records.ts';

/**
 * Maps a blocking key to the ids of the records that carry it. The matcher only ever asks "who has this key", so
 * the platform can back this with a blind-index table (keyed HMAC of the key, no plaintext) in PostgreSQL, while
 * the CLI and tests use `MemoryBlockingIndex`.
 */
export interface BlockingIndex {
  add(key: string, id: string): void;
  remove(key: string, id: string): void;
  lookup(key: string): readonly string[];
  /** How many records carry the key, however many: how common a number or surname is. */
  size(key: string): number;
}

export class MemoryBlockingIndex implements BlockingIndex {
  private readonly blocks = new Map<string, string[]>();

  /** The engine adds each (key, id) once (a chart's keys are distinct, and it removes before re-adding). */
  add(key: string, id: string): void {
    const block = this.blocks.get(key);
    if (block) block.push(id);
    else this.blocks.set(key, [id]);
  }

  remove(key: string, id: string): void {
    const block = this.blocks.get(key);
    if (!block) return;
    const at = block.indexOf(id);
    if (at >= 0) block.splice(at, 1);
    if (!block.length) this.blocks.delete(key);
  }

  lookup(key: string): readonly string[] {
    return this.blocks.get(key) ?? NONE;
  }

  size(key: string): number {
    return this.blocks.get(key)?.length ?? 0;
  }
}
const NONE: readonly string[] = [];

/** Turns a plaintext blocking key into the stored one; identity in memory, keyed HMAC where data is encrypted. */
export type KeyBlinder = (key: string) => string;

export const plainKeys: KeyBlinder = (key) => key;

/** Blind-index keys: HMAC-SHA256 under the practice's index key, so equal values meet without being readable. */
export function hmacKeys(secret: Buffer): KeyBlinder {
  return (key) => createHmac('sha256', secret).update(key).digest('base64url');
}

/** The 3-letter stem a given name is blocked on: survives typos and caller-ID truncation past the third letter. */
const stem = (given: string) => given.slice(0, 3);
/** What is left of a surname after caller ID cut the name at 15 characters ("VERONICA RAMIRE"). */
const CUT_SURNAME = 4;
const cut = (surname: string) => surname.slice(0, CUT_SURNAME);

/** Keys a chart is found by when a lead arrives. */
export function patientKeys(patient: Patient): string[] {
  const keys = new Set<string>();
  for (const { number } of patient.phones) keys.add(`phone:${number}`);
  for (const digits of patient.subscribers) keys.add(subscriberKey(digits));
  if (patient.email) keys.add(`email:${patient.email}`);
  if (patient.surname) {
    const surnames = new Set([patient.surname.full, ...patient.surname.parts]);
    const stems = new Set([...patient.given.first, ...patient.given.preferred].map(stem));
    for (const s of surnames) {
      for (const g of stems) {
        keys.add(`name:${s}|${g}`);
        if (s.length > CUT_SURNAME) keys.add(`cut:${cut(s)}|${g}`);
      }
    }
    if (patient.birthDay !== null) keys.add(`dob:${patient.surname.full}|${patient.birthDay}`);
    keys.add(surnameKey(patient.surname.full));
    if (patient.zip5) for (const part of patient.surname.parts) keys.add(surnameZipKey(part, patient.zip5));
  }
  keys.add(openedKey(Math.floor(patient.createdDay * 24)));
  return [...keys];
}

const openedKey = (hour: number) => `opened:${hour}`;
/** A chart's seven-digit number written without its area code; a lead looks it up with its own number's last seven. */
export const subscriberKey = (digits: string) => `subscriber:${digits}`;
/** Never looked up by a lead: it counts the charts sharing a surname, for surname-frequency weighting. */
export const surnameKey = (surname: string) => `surname:${surname}`;
const surnameZipKey = (surname: string, zip5: string) => `surname-zip:${surname}|${zip5}`;

/**
 * The hour buckets holding every chart opened within an hour either side of the patient's: where the charts
 * registered together with it are, and how a bulk import shows.
 */
export function openedKeys(patient: Patient): string[] {
  const hour = Math.floor(patient.createdDay * 24);
  return [hour - 1, hour, hour + 1].map(openedKey);
}

/** The kinds of chart key through which household context reaches a chart from an anchor (see `withHousehold`). */
export const HOUSEHOLD_KEY_KINDS: readonly string[] = ['phone', 'email', 'surname-zip', 'opened'];

/** Keys that find an anchor chart's household: its phone numbers and email, and its surname at its ZIP. */
export function householdKeys(anchor: Patient): string[] {
  const keys = anchor.phones.map(({ number }) => `phone:${number}`);
  if (anchor.email) keys.push(`email:${anchor.email}`);
  if (anchor.zip5) for (const part of anchor.surname?.parts ?? []) keys.push(surnameZipKey(part, anchor.zip5));
  return keys;
}

/**
 * Keys that find the charts of a lead's caller: the contact details, and every reading of the name as
 * (given name or one of its nicknames, surname span). A lead's name token order is unknown, so all are tried.
 */
export function leadKeys(lead: Lead): string[] {
  const keys = new Set<string>();
  for (const number of lead.phones) {
    keys.add(`phone:${number}`);
    const digits = subscriberOf(number);
    if (digits !== null) keys.add(subscriberKey(digits));
  }
  if (lead.email) keys.add(`email:${lead.email}`);
  const { tokens, spans, truncated, surnameHint } = lead.name;
  for (const span of spans) {
    if (lead.birthDay !== null) keys.add(`dob:${span.joined}|${lead.birthDay}`);
    // The span that ends the name may have lost its end to caller ID's 15 characters.
    const cutOff = truncated && span.end === tokens.length && span.joined.length >= CUT_SURNAME;
    tokens.forEach((given, i) => {
      if (i >= span.start && i < span.end) return;
      for (const g of [given, ...givenNameAliases(given)]) {
        keys.add(`name:${span.joined}|${stem(g)}`);
        if (cutOff) keys.add(`cut:${cut(span.joined)}|${stem(g)}`);
      }
    });
  }
  if (surnameHint && tokens.length === 1) {
    for (const g of [tokens[0]!, ...givenNameAliases(tokens[0]!)]) keys.add(`name:${surnameHint}|${stem(g)}`);
  }
  return [...keys];
}

