import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pmsCsv from '../index.ts';

const settings = { timeZone: 'America/Los_Angeles' } as const;

function parseFixture(stream: string, file: string, extra: Record<string, unknown> = {}) {
  const body = readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8');
  return pmsCsv.streams.find((s) => s.name === stream)!.parse({ body, name: file }, { ...settings, ...extra });
}

describe('importing CSV exports', () => {
  it('reads patients with a BOM, quoted commas, accents and mixed phone formats', () => {
    const { records, issues } = parseFixture('patients', 'patients.csv');
    expect(issues).toEqual([]);
    expect(records).toHaveLength(3);
    expect(records[1]!.record).toMatchObject({ id: 'P-1002', lastName: 'Smith, Jr.', preferredName: 'Bob', status: 'active', gender: 'male' });
    expect(records[2]!.record).toMatchObject({ id: 'P-1003', birthDate: null, status: 'prospective', phones: [{ kind: 'home', number: '541 555 0199' }] });
  });

  it('converts local appointment times in the practice zone and maps no-shows to broken', () => {
    const { records, issues } = parseFixture('appointments', 'appointments.csv');
    expect(issues).toEqual([]);
    expect(records[0]!.record).toMatchObject({ scheduledAt: '2024-02-09T17:30:00.000Z', status: 'completed', isNewPatient: true });
    expect(records[1]!.record).toMatchObject({ status: 'broken' });
  });

  it('turns "$1,265.50" × 2 into 253100 cents of production', () => {
    const { records } = parseFixture('procedures', 'procedures.csv');
    expect(records[1]!.record).toMatchObject({ unitFeeCents: 126550, quantity: 2, feeCents: 253100 });
    expect(records[2]!.record).toMatchObject({ status: 'planned', unitFeeCents: 135000 });
  });

  it('names the file, line and column of every bad cell, and imports nothing from that file', () => {
    const { records, issues } = parseFixture('patients', 'patients-with-errors.csv');
    expect(records).toEqual([]);
    expect(issues).toEqual(expect.arrayContaining([
      { record: 'patients-with-errors.csv line 3', field: 'last_name', message: 'is required' },
      { record: 'patients-with-errors.csv line 4', field: 'birth_date', message: 'not a real calendar date' },
      expect.objectContaining({ record: 'patients-with-errors.csv line 4', field: 'status' }),
      { record: 'patients-with-errors.csv line 4', field: 'email', message: 'not an email address' },
      { record: 'patients-with-errors.csv line 5', field: 'patient_id', message: 'duplicate id (first on line 2)' },
    ]));
    expect(JSON.stringify(issues)).not.toContain('alan-at-example.com');
  });

  it('follows a column mapping and US dates with 12-hour times', () => {
    const body = 'Appt #,Chart #,When,Status\n77,C-9,02/09/2024 9:30 AM,Complete\n78,C-9,02/10/2024 12:15 PM,Booked\n';
    const stream = pmsCsv.streams.find((s) => s.name === 'appointments')!;
    const { records, issues } = stream.parse({ body, name: 'export.csv' }, {
      ...settings, dateFormat: 'MM/DD/YYYY', columns: { patients: {}, procedures: {}, appointments: { id: 'Appt #', patientId: 'Chart #', scheduledAt: 'When', status: 'Status' } },
    });
    expect(issues).toEqual([]);
    expect(records.map((r) => r.record)).toMatchObject([
      { id: '77', patientId: 'C-9', scheduledAt: '2024-02-09T17:30:00.000Z', status: 'completed' },
      { id: '78', scheduledAt: '2024-02-10T20:15:00.000Z', status: 'scheduled' },
    ]);
  });

  it('reports a missing required column once, on the header line', () => {
    const stream = pmsCsv.streams.find((s) => s.name === 'procedures')!;
    const { issues } = stream.parse({ body: 'procedure_id,patient_id,code,date\n1,2,D0150,2024-01-01\n', name: 'procedures.csv' }, settings);
    expect(issues).toEqual([{ record: 'procedures.csv line 1', field: 'fee', message: 'column not found in the header' }]);
  });
});
