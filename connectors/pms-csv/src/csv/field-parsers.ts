import { localDateTimeToUtc, parseMoneyToCents } from '@sourceline/sdk';
import type { PmsCsvSettings } from '../settings.ts';

/** A value or the reason it is unusable (the reason never repeats the value: it may be PHI). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

export function parseDate(text: string, format: PmsCsvSettings['dateFormat']): Parsed<string> {
  const parts = format === 'YYYY-MM-DD' ? /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (!parts) return bad(`expected a date as ${format}`);
  const [y, m, d] = format === 'YYYY-MM-DD'
    ? [Number(parts[1]), Number(parts[2]), Number(parts[3])]
    : format === 'MM/DD/YYYY' ? [Number(parts[3]), Number(parts[1]), Number(parts[2])] : [Number(parts[3]), Number(parts[2]), Number(parts[1])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1850 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return bad('not a real calendar date');
  return ok(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

/** A local date and time ("2024-02-09 09:30", "02/09/2024 9:30 AM") in the practice's zone → ISO instant. */
export function parseLocalDateTime(text: string, format: PmsCsvSettings['dateFormat'], timeZone: string): Parsed<string> {
  const match = /^(\S+)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$/.exec(text);
  if (!match) return bad(`expected a date and time such as ${format === 'YYYY-MM-DD' ? '2024-02-09 09:30' : '02/09/2024 9:30 AM'}`);
  const date = parseDate(match[1]!, format);
  if (!date.ok) return date;
  let hour = Number(match[2]);
  const meridiem = match[5]?.toLowerCase();
  if (meridiem && (hour < 1 || hour > 12)) return bad('hour must be 1–12 with AM/PM');
  if (meridiem === 'pm' && hour !== 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || Number(match[3]) > 59 || Number(match[4] ?? 0) > 59) return bad('not a real time of day');
  const local = `${date.value} ${String(hour).padStart(2, '0')}:${match[3]}:${match[4] ?? '00'}`;
  return ok(localDateTimeToUtc(local, timeZone));
}

export function parseCents(text: string): Parsed<number> {
  const cents = parseMoneyToCents(text);
  return cents === undefined ? bad('expected an amount such as 130.00') : ok(cents);
}

export function parseWholeNumber(text: string, min = 0): Parsed<number> {
  return /^\d+$/.test(text) && Number(text) >= min ? ok(Number(text)) : bad(`expected a whole number ≥ ${min}`);
}

export function parseYesNo(text: string): Parsed<boolean> {
  const t = text.toLowerCase();
  if (['y', 'yes', 'true', '1'].includes(t)) return ok(true);
  if (['n', 'no', 'false', '0'].includes(t)) return ok(false);
  return bad('expected yes or no');
}

/** Case-insensitive lookup of a source vocabulary (with synonyms) into ours. */
export function parseChoice<T extends string>(text: string, choices: Readonly<Record<string, T>>): Parsed<T> {
  const value = choices[text.toLowerCase()];
  return value === undefined ? bad(`expected one of: ${[...new Set(Object.keys(choices))].join(', ')}`) : ok(value);
}
