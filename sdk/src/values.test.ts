import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IsoDate, Patient } from './records/index.ts';
import { parseMoneyToCents } from './money.ts';
import { redactSettings, secret, secretFieldsOf } from './settings.ts';
import { epochMsToLocalDateTime, localDateTimeToUtc } from './time.ts';

describe('money at the edge', () => {
  it.each([
    ['130.00', 13000], ['339', 33900], ['-25.0', -2500], [-25.5, -2550], ['$1,250.5', 125050], ['0.1', 10], [0.3, 30], ['19.995', 2000], ['.5', 50],
  ] as const)('%s → %i cents', (input, cents) => {
    expect(parseMoneyToCents(input)).toBe(cents);
  });

  it('refuses what is not an amount', () => {
    expect(parseMoneyToCents('abc')).toBeUndefined();
    expect(parseMoneyToCents('')).toBeUndefined();
    expect(parseMoneyToCents(Number.NaN)).toBeUndefined();
  });
});

describe('dates and zones', () => {
  it('never accepts year 1 (Open Dental’s "no date")', () => {
    expect(IsoDate.safeParse('0001-01-01').success).toBe(false);
    expect(IsoDate.safeParse('2024-02-30').success).toBe(false);
    expect(IsoDate.safeParse('2024-02-29').success).toBe(true);
  });

  it('converts wall-clock times in a zone to UTC and back, across DST', () => {
    expect(localDateTimeToUtc('2024-07-01 09:30:00', 'America/Chicago')).toBe('2024-07-01T14:30:00.000Z');
    expect(localDateTimeToUtc('2024-01-01 09:30:00', 'America/Chicago')).toBe('2024-01-01T15:30:00.000Z');
    expect(localDateTimeToUtc('2024-03-10 02:30:00', 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    expect(epochMsToLocalDateTime(Date.parse('2024-07-01T14:30:00Z'), 'America/Chicago')).toBe('2024-07-01 09:30:00');
  });
});

describe('settings secrets', () => {
  const settings = z.object({ baseUrl: z.string(), apiKey: secret(z.string()), webhookSecret: secret(z.string()).optional() });

  it('lists the fields marked secret, through optional wrappers', () => {
    expect(secretFieldsOf(settings)).toEqual(['apiKey', 'webhookSecret']);
  });

  it('redacts them for display', () => {
    expect(redactSettings(settings, { baseUrl: 'https://x', apiKey: 'k', webhookSecret: undefined })).toEqual({ baseUrl: 'https://x', apiKey: '••••••', webhookSecret: undefined });
  });
});

describe('canonical records', () => {
  it('accept a minimal patient and reject a fractional id-less one', () => {
    const patient = {
      id: '1', firstName: null, lastName: 'X', middleName: null, preferredName: null, birthDate: null, gender: 'unknown', status: 'active',
      phones: [], email: null, address: null, guarantorId: null, primaryProviderId: null, locationId: null, firstVisitOn: null, createdOn: null, sourceUpdatedAt: null,
    };
    expect(Patient.safeParse(patient).success).toBe(true);
    expect(Patient.safeParse({ ...patient, id: '' }).success).toBe(false);
  });
});
