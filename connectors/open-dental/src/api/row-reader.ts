import { localDateTimeToUtc, parseMoneyToCents, type ParseIssue } from '@sourceline/sdk';
import type { OpenDentalRow } from './open-dental-client.ts';

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/;

/**
 * Reads one Open Dental row field by field, with the API's quirks handled once, here: `0001-01-01` and `""` mean no
 * date, booleans are "true"/"True" strings, money arrives as strings or numbers, some integers arrive as strings,
 * and date-times are office wall-clock time. Problems are collected as issues naming the row and field; a problem
 * with a required field makes the row unusable (`ok` false) so it is reported instead of emitted half-right.
 */
export class RowReader {
  ok = true;

  constructor(
    private readonly row: OpenDentalRow,
    readonly label: string,
    private readonly issues: ParseIssue[],
  ) {}

  /** A positive integer id (`0` means "none" in Open Dental, returned as null). */
  id(field: string, required = false): string | null {
    const value = this.row[field];
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (Number.isInteger(n) && n > 0) return String(n);
    if (n === 0 || ((value === undefined || value === null || value === '') && !required)) {
      if (required) this.fail(field, 'is required');
      return null;
    }
    this.fail(field, `expected a whole number, got ${describe(value)}`, required);
    return null;
  }

  integer(field: string, fallback = 0): number {
    const value = this.row[field];
    if (value === undefined || value === null || value === '') return fallback;
    const n = typeof value === 'number' ? value : Number(value);
    if (Number.isInteger(n)) return n;
    this.fail(field, `expected a whole number, got ${describe(value)}`);
    return fallback;
  }

  /** Text with surrounding space trimmed; empty becomes null. */
  text(field: string): string | null {
    const value = this.row[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.warn(field, `expected text, got ${describe(value)}`);
      return null;
    }
    const trimmed = String(value).trim();
    return trimmed === '' ? null : trimmed;
  }

  /** Case-insensitive "true"/"false" (OD's examples use both cases). */
  bool(field: string): boolean {
    const value = this.row[field];
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    if (value === undefined || value === '') return false;
    this.warn(field, `expected "true" or "false", got ${describe(value)}`);
    return false;
  }

  /** `yyyy-MM-dd` (a datetime's date part is accepted); `0001-01-01` and "" are null. */
  date(field: string, required = false): string | null {
    const value = this.row[field];
    const text = typeof value === 'string' ? value.trim().slice(0, 10) : '';
    if (text === '' || text === '0001-01-01') {
      if (required) this.fail(field, value === undefined ? 'is missing' : 'is empty (0001-01-01)');
      return null;
    }
    const m = datePattern.exec(text);
    if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      this.fail(field, `expected yyyy-MM-dd, got ${describe(value)}`, required);
      return null;
    }
    return text;
  }

  /** Office wall-clock `yyyy-MM-dd HH:mm:ss` → ISO instant in UTC; `0001-01-01 00:00:00` and "" are null. */
  dateTime(field: string, timeZone: string, required = false): string | null {
    const value = this.row[field];
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '' || text.startsWith('0001-01-01')) {
      if (required) this.fail(field, 'is empty');
      return null;
    }
    if (!dateTimePattern.test(text)) {
      this.fail(field, `expected yyyy-MM-dd HH:mm:ss, got ${describe(value)}`, required);
      return null;
    }
    return localDateTimeToUtc(text, timeZone);
  }

  /** Money as integer cents: ProcFee "130.00", PayAmt "339", AdjAmt -25.0 all arrive here. */
  cents(field: string, required = true): number {
    const value = this.row[field];
    const cents = typeof value === 'string' || typeof value === 'number' ? parseMoneyToCents(value) : undefined;
    if (cents === undefined) {
      if (required || value !== undefined) this.fail(field, `expected an amount, got ${describe(value)}`, required);
      return 0;
    }
    return cents;
  }

  /** An enumeration sent by name, mapped to ours. */
  oneOf<T extends string>(field: string, mapping: Readonly<Record<string, T>>): T | undefined {
    const value = this.row[field];
    const mapped = typeof value === 'string' ? mapping[value] : undefined;
    if (mapped === undefined) this.fail(field, `unexpected value ${describe(value)}`);
    return mapped;
  }

  raw(field: string): unknown {
    return this.row[field];
  }

  /** A problem that makes the row unusable. */
  fail(field: string, message: string, fatal = true): void {
    if (fatal) this.ok = false;
    this.issues.push({ record: this.label, field, message });
  }

  /** A problem worth reporting that does not stop the row. */
  warn(field: string, message: string): void {
    this.issues.push({ record: this.label, field, message });
  }
}

/** Names a bad value by its type and shape, never its content (it may be a patient's name or phone). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `text of ${value.length} character(s)`;
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a decimal number';
  return `a ${Array.isArray(value) ? 'list' : typeof value}`;
}

const checkedDates = new Map<number, boolean>();

function isCalendarDate(y: number, m: number, d: number): boolean {
  // A sync reads the same few thousand dates hundreds of thousands of times.
  const key = y * 10_000 + m * 100 + d;
  let valid = checkedDates.get(key);
  if (valid === undefined) {
    const date = new Date(Date.UTC(y, m - 1, d));
    valid = y >= 1850 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    if (checkedDates.size > 100_000) checkedDates.clear();
    checkedDates.set(key, valid);
  }
  return valid;
}
