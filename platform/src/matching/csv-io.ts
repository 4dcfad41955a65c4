import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { PairResult } from './decide.ts';
import type { LeadInput, PatientInput } from './records.ts';

/** A malformed input file, located to the line and column so the person who exported it can fix it. */
export class CsvInputError extends Error {
  override name = 'CsvInputError';
}

const isCalendarDate = (text: string): boolean => {
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 0) - 1, d ?? 0));
  return date.getUTCFullYear() === y && date.getUTCMonth() === (m ?? 0) - 1 && date.getUTCDate() === d;
};

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isCalendarDate);
const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/)
  .refine((s) => isCalendarDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)));

interface Field {
  schema: z.ZodType<string>;
  expected: string;
  required: boolean;
}
const text: Field = { schema: z.string(), expected: 'text', required: false };
const id: Field = { schema: z.string().regex(/^\S+$/), expected: 'an id without spaces', required: true };
const optionalDate: Field = { schema: date, expected: 'a valid date (YYYY-MM-DD)', required: false };
const requiredTimestamp: Field = { schema: timestamp, expected: 'a valid ISO 8601 timestamp', required: true };

const PATIENT_FIELDS = {
  patient_id: id,
  first_name: text,
  last_name: text,
  preferred_name: text,
  birthdate: optionalDate,
  home_phone: text,
  work_phone: text,
  mobile_phone: text,
  email: text,
  zip: text,
  first_visit_date: optionalDate,
  created_at: requiredTimestamp,
} satisfies Record<string, Field>;

const LEAD_FIELDS = {
  lead_id: id,
  occurred_at: requiredTimestamp,
  name: text,
  phone: text,
  email: text,
} satisfies Record<string, Field>;
/** Forms that ask for a birthdate export it; lead sources that do not simply lack the column. */
const LEAD_OPTIONAL_FIELDS = { birthdate: optionalDate } satisfies Record<string, Field>;

const REVENUE_FIELDS = {
  patient_id: id,
  amount: { schema: z.string().regex(/^-?\d+(\.\d{1,2})?$/), expected: 'an amount in dollars (e.g. 84.87)', required: true },
} satisfies Record<string, Field>;

type Row<F> = { [K in keyof F]: string };

/** csv-parse locates its errors by line and 0-based field; people count columns from 1. */
function describeCsvError(error: CsvError): string {
  const { lines, column, record } = error as CsvError & { lines?: number; column?: number; record?: unknown[] };
  const line = `line ${lines ?? '?'}`;
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(record)) {
    const expected = /expect (\d+)/.exec(error.message)?.[1] ?? '?';
    return `${line}, column ${record.length + 1}: the record has ${record.length} fields, the header ${expected}`;
  }
  const where = column === undefined ? line : `${line}, column ${column + 1}`;
  return `${where}: ${error.message.replace(/ (on|at) line \d+.*$/, '').replace(/:.*$/, '')}`;
}

/**
 * Reads a CSV file strictly: RFC 4180 quoting, a header naming every required column, every record as wide as the
 * header, every cell valid for its column, ids unique. The first problem throws `CsvInputError` naming the file,
 * line and column; nothing is returned from a file with any problem.
 */
function readTable<F extends Record<string, Field>, O extends Record<string, Field>>(
  path: string,
  fields: F,
  optional: O,
  uniqueKey: keyof F | null,
): (Row<F> & Partial<Row<O>>)[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new CsvInputError(`${path}: cannot read the file (${code})`);
  }
  let records: string[][];
  const lines: number[] = [];
  try {
    records = parse(content, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) throw new CsvInputError(`${path} ${describeCsvError(error)}`);
    throw error;
  }
  const [head, ...body] = records;
  if (!head) throw new CsvInputError(`${path} line 1: empty file, expected a header row`);
  const header = head.map((h) => h.trim());
  const columnOf = (name: string) => header.indexOf(name);
  for (const name of Object.keys(fields)) {
    if (columnOf(name) < 0) throw new CsvInputError(`${path} line 1: header lacks column '${name}' (has: ${header.join(',')})`);
  }
  const checks = [
    ...Object.entries(fields).map(([name, field]) => ({ name, field, column: columnOf(name) })),
    ...Object.entries(optional)
      .map(([name, field]) => ({ name, field, column: columnOf(name) }))
      .filter((c) => c.column >= 0),
  ];
  const seen = new Map<string, number>();
  return body.map((record, i) => {
    const line = lines[i + 1] ?? 0;
    const row: Record<string, string> = {};
    for (const { name, field, column } of checks) {
      const value = (record[column] ?? '').trim();
      const where = `${path} line ${line}, column ${column + 1} (${name})`;
      if (!value && field.required) throw new CsvInputError(`${where}: is empty, expected ${field.expected}`);
      // The cell is named by line and column, never quoted: input files hold patients' names, phones and birthdates.
      if (value && !field.schema.safeParse(value).success) throw new CsvInputError(`${where}: is not ${field.expected}`);
      row[name] = value;
    }
    if (uniqueKey !== null) {
      const key = row[uniqueKey as string] ?? '';
      const first = seen.get(key);
      if (first !== undefined) throw new CsvInputError(`${path} line ${line}: duplicate ${String(uniqueKey)} '${key}' (first on line ${first})`);
      seen.set(key, line);
    }
    return row as Row<F> & Partial<Row<O>>;
  });
}

export function readPatients(path: string): PatientInput[] {
  return readTable(path, PATIENT_FIELDS, {}, 'patient_id').map((r) => ({
    id: r.patient_id,
    firstName: r.first_name,
    lastName: r.last_name,
    preferredName: r.preferred_name,
    birthdate: r.birthdate,
    homePhone: r.home_phone,
    workPhone: r.work_phone,
    mobilePhone: r.mobile_phone,
    email: r.email,
    zip: r.zip,
    firstVisitDate: r.first_visit_date,
    createdAt: r.created_at,
  }));
}

export function readLeads(path: string): LeadInput[] {
  return readTable(path, LEAD_FIELDS, LEAD_OPTIONAL_FIELDS, 'lead_id').map((r) => ({
    id: r.lead_id,
    occurredAt: r.occurred_at,
    name: r.name,
    phone: r.phone,
    email: r.email,
    birthdate: r.birthdate ?? '',
  }));
}

/** Revenue per patient in integer cents, for ranking the review queue by what a wrong link would misattribute. */
export function readRevenueCents(path: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of readTable(path, REVENUE_FIELDS, {}, null)) {
    totals.set(r.patient_id, (totals.get(r.patient_id) ?? 0) + Math.round(Number(r.amount) * 100));
  }
  return totals;
}

const NEEDS_QUOTES = /[",\r\n]/;
const csvField = (value: string) => (NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export const MATCH_COLUMNS = ['lead_id', 'patient_id', 'confidence', 'method'] as const;

export function matchRow(pair: PairResult): string[] {
  return [pair.leadId, pair.patientId, pair.confidence.toFixed(4), pair.method];
}

/**
 * Writes a CSV file atomically: rows go to a temporary file beside the target, which is renamed over it only
 * once complete, so a reader never sees half a file and a failure leaves no file behind.
 */
export function writeCsvAtomically(path: string, header: readonly string[], rows: Iterable<readonly string[]>): number {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = openSync(temporary, 'wx');
  let written = 0;
  try {
    let chunk = `${header.map(csvField).join(',')}\n`;
    for (const row of rows) {
      chunk += `${row.map(csvField).join(',')}\n`;
      written++;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
    closeSync(fd);
    fd = null;
    renameSync(temporary, path);
    return written;
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}
