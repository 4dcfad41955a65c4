import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvInputError, readLeads, readPatients, readRevenueCents, writeCsvAtomically } from './csv-io.ts';

const PATIENT_HEADER = 'patient_id,first_name,last_name,preferred_name,birthdate,home_phone,work_phone,mobile_phone,email,zip,first_visit_date,created_at';
const LEAD_HEADER = 'lead_id,occurred_at,kind,channel,name,phone,email';

function file(name: string, ...lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'csv-io-'));
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const problem = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof CsvInputError) return error.message;
    throw error;
  }
  throw new Error('expected a CsvInputError');
};

describe('reading the CSV contract', () => {
  it('reads charts and leads, quoted fields and extra columns included', () => {
    const patients = readPatients(file('patients.csv', PATIENT_HEADER, '1001,Ana,"Ruiz, Jr",,1990-02-28,,,(614)535-6162,a@b.com,43213,,2024-01-02T03:04:05Z'));
    expect(patients).toEqual([expect.objectContaining({ id: '1001', lastName: 'Ruiz, Jr', birthdate: '1990-02-28', firstVisitDate: '' })]);
    const leads = readLeads(file('leads.csv', LEAD_HEADER, 'L1,2024-01-02T03:04:05Z,call,direct,"SMITH, JO",+16145356162,'));
    expect(leads).toEqual([{ id: 'L1', occurredAt: '2024-01-02T03:04:05Z', name: 'SMITH, JO', phone: '+16145356162', email: '', birthdate: '' }]);
  });

  it('sums revenue per patient in cents', () => {
    const revenue = readRevenueCents(file('revenue.csv', 'patient_id,date,code,amount', '1,2024-01-01,D0120,47.97', '1,2024-02-01,D1110,84.87', '2,2024-01-01,D0120,10'));
    expect(Object.fromEntries(revenue)).toEqual({ '1': 13284, '2': 1000 });
  });

  it.each([
    ['an impossible date', [PATIENT_HEADER, '1,A,B,,1997-13-45,,,,,,,2024-01-01T00:00:00Z'], /line 2, column 5 \(birthdate\): is not a valid date \(YYYY-MM-DD\)/],
    ['a bad timestamp', [PATIENT_HEADER, '1,A,B,,,,,,,,,yesterday'], /line 2, column 12 \(created_at\): is not a valid ISO 8601 timestamp/],
    ['a missing required value', [PATIENT_HEADER, '1,A,B,,,,,,,,,'], /line 2, column 12 \(created_at\): is empty/],
    ['a short record', [PATIENT_HEADER, '1,A,B'], /line 2, column 4: the record has 3 fields, the header 12/],
    ['an unclosed quote', [PATIENT_HEADER, '1,"A,B,,,,,,,,,2024-01-01T00:00:00Z'], /line 2, column 2: Quote Not Closed/],
    ['a duplicate id', [PATIENT_HEADER, '1,A,B,,,,,,,,,2024-01-01T00:00:00Z', '1,C,D,,,,,,,,,2024-01-01T00:00:00Z'], /line 3: duplicate patient_id '1' \(first on line 2\)/],
    ['a missing column', ['patient_id,first_name', '1,A'], /line 1: header lacks column 'last_name'/],
    ['an empty file', [''], /line 1: empty file/],
  ])('names file, line and column for %s', (_, lines, message) => {
    const path = file('patients.csv', ...lines);
    expect(problem(() => readPatients(path))).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} ${message.source}`));
  });

  it('counts lines of multi-line quoted fields', () => {
    const path = file('leads.csv', LEAD_HEADER, 'L1,2024-01-01T00:00:00Z,form,direct,"two\nlines",,', 'L2,not-a-time,form,direct,x,,');
    expect(problem(() => readLeads(path))).toContain('line 4, column 2 (occurred_at)');
  });
});

describe('writing output atomically', () => {
  it('writes the whole file and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-out-'));
    const path = join(dir, 'out.csv');
    expect(writeCsvAtomically(path, ['a', 'b'], [['1', 'x,y'], ['2', 'say "hi"']])).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,"x,y"\n2,"say ""hi"""\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('leaves nothing behind when writing fails midway', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-out-'));
    const rows = function* () {
      yield ['1', 'ok'];
      throw new Error('disk gone');
    };
    expect(() => writeCsvAtomically(join(dir, 'out.csv'), ['a', 'b'], rows())).toThrow('disk gone');
    expect(readdirSync(dir)).toEqual([]);
  });
});
