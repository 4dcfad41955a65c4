import { readFileSync } from 'node:fs';
import type { ParseResult } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import openDental from '../index.ts';

const timeZone = 'America/Los_Angeles';

function parseFixture(stream: string, file: string): ParseResult {
  const endpoint = openDental.streams.find((s) => s.name === stream)!;
  const body = readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8');
  return endpoint.parse({ body, name: file }, { timeZone });
}

function record<T>(result: ParseResult, id: string): T {
  const found = result.records.find((r) => r.record.id === id);
  if (!found) throw new Error(`no record ${id}`);
  return found.record as T;
}

describe('mapping saved Open Dental responses', () => {
  it('reads 0001-01-01 dates and empty DateTStamp as missing, never as year 1', () => {
    const result = parseFixture('patients', 'patients-simple.json');
    const patient = record<{ birthDate: string | null; firstVisitOn: string | null; sourceUpdatedAt: string | null }>(result, '2041');
    expect(patient.birthDate).toBeNull();
    expect(patient.firstVisitOn).toBeNull();
    expect(patient.sourceUpdatedAt).toBeNull();
  });

  it('keeps names with apostrophes and accents, a numeric Zip, and marks Deleted patients', () => {
    const result = parseFixture('patients', 'patients-simple.json');
    const renee = record<{ lastName: string; address: { postalCode: string } }>(result, '2041');
    expect(renee.lastName).toBe("O'Brien-Muñoz");
    expect(renee.address.postalCode).toBe('97701');
    expect(record<{ status: string }>(result, '2042').status).toBe('deleted');
  });

  it('drops an invalid email with an issue that names the record and field, not the value', () => {
    const result = parseFixture('patients', 'patients-simple.json');
    expect(record<{ email: string | null }>(result, '2042').email).toBeNull();
    const issue = result.issues.find((i) => i.record === 'PatNum 2042' && i.field === 'Email');
    expect(issue).toBeDefined();
    expect(JSON.stringify(result.issues)).not.toContain('not-an-email');
  });

  it('converts office wall-clock times to UTC across DST changes and reads "True" booleans', () => {
    const result = parseFixture('appointments', 'appointments.json');
    // 02:30 on 2024-03-10 does not exist in Los Angeles: it maps forward into PDT.
    expect(record<{ scheduledAt: string; isNewPatient: boolean }>(result, '9120')).toMatchObject({ scheduledAt: '2024-03-10T10:30:00.000Z', isNewPatient: true });
    // 01:30 on 2024-11-03 happens twice; either reading is an instant in that hour.
    expect(['2024-11-03T08:30:00.000Z', '2024-11-03T09:30:00.000Z']).toContain(record<{ scheduledAt: string }>(result, '9121').scheduledAt);
    expect(result.issues).toContainEqual(expect.objectContaining({ record: 'AptNum 9122', field: 'AptDateTime' }));
    expect(result.records.some((r) => r.record.id === '9122')).toBe(false);
  });

  it('turns string fees into integer cents times UnitQty + BaseUnits, and status D into deleted', () => {
    const result = parseFixture('procedures', 'procedurelogs.json');
    expect(record(result, '55012')).toMatchObject({ unitFeeCents: 9500, quantity: 2, feeCents: 19000, discountCents: 1500, status: 'completed' });
    expect(record(result, '55013')).toMatchObject({ unitFeeCents: 6000, quantity: 2, feeCents: 12000 });
    expect(record(result, '55014')).toMatchObject({ status: 'deleted', feeCents: 135000 });
    expect(result.issues).toContainEqual(expect.objectContaining({ record: 'ProcNum 55015', field: 'ProcFee' }));
  });

  it('reads PayAmt strings (refunds negative) and the string ClinicNum of payments', () => {
    const result = parseFixture('payments', 'payments.json');
    expect(record(result, '801')).toMatchObject({ amountCents: 33900, locationId: '2', method: 'Credit Card' });
    expect(record(result, '802')).toMatchObject({ amountCents: -5050, locationId: null });
  });

  it('keeps only RefFrom attachments as referral sources', () => {
    const result = parseFixture('referral-sources', 'refattaches.json');
    expect(record(result, '310')).toMatchObject({ sourceName: 'Radio spot', patientId: '2041', rank: 0 });
    expect(result.records.some((r) => r.record.id === '311')).toBe(false);
  });

  it('names a clinic by its abbreviation when it has no description', () => {
    const result = parseFixture('locations', 'clinics.json');
    expect(record(result, '9')).toMatchObject({ name: 'Annex', phone: '5415550100' });
  });

  it('parses every saved page of every stream with valid canonical records', () => {
    const files: Record<string, string> = {
      patients: 'patients-simple.json', appointments: 'appointments.json', procedures: 'procedurelogs.json', payments: 'payments.json',
      providers: 'providers.json', locations: 'clinics.json', 'referral-sources': 'refattaches.json',
    };
    for (const [stream, file] of Object.entries(files)) {
      expect(parseFixture(stream, file).records.length, stream).toBeGreaterThan(0);
    }
  });
});
