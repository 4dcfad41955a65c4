import { describe, expect, it } from 'vitest';
import {
  compareIdentity,
  COMPARISONS,
  coregistrationWindow,
  householdLevel,
  MAX_COREGISTRATION_MINUTES,
  SEQUENCE_INDEX,
  sequenceLevel,
  surnameFrequencyCuts,
  TIMING_INDEX,
} from './comparisons.ts';
import { MatchEngine } from './engine.ts';
import { normalizeLead, normalizePatient, parsePatientPhones } from './records.ts';
import { lead, patient, smallPractice } from './testing.ts';

const areaCodes = { region: () => ['614'], practice: ['614'] };
const chart = (overrides: Parameters<typeof patient>[0]) => {
  const input = patient(overrides);
  return normalizePatient(input, parsePatientPhones(input), areaCodes);
};
const sequenceName = (level: number) => COMPARISONS[SEQUENCE_INDEX]!.levels[level]!.name;

describe('the co-registration window learned from chart opening times', () => {
  it('holds the minutes in which a household registers together, above the background of the hour', () => {
    // 200 families registered 1–6 minutes apart, and household members opened the same hour by chance.
    const gaps = [...Array.from({ length: 200 }, (_, i) => 1 + (i % 6)), ...Array.from({ length: 120 }, (_, i) => i / 2)];
    const minutes = coregistrationWindow(gaps) * 1440;
    expect(minutes).toBeGreaterThanOrEqual(5);
    expect(minutes).toBeLessThanOrEqual(8);
  });

  it('keeps the widest window when there is too little to learn from', () => {
    expect(coregistrationWindow([3, 40]) * 1440).toBeCloseTo(MAX_COREGISTRATION_MINUTES);
  });

  it('reads a chart opened beyond the window as related, not registered together', () => {
    const anchor = chart({ id: 'A', lastName: 'Quill', mobilePhone: '614-555-0199', zip: '43210', createdAt: '2024-03-01T15:00:00Z' });
    const soon = chart({ id: 'B', lastName: 'Quill', mobilePhone: '614-555-0199', zip: '43210', createdAt: '2024-03-01T15:04:00Z' });
    const late = chart({ id: 'C', lastName: 'Quill', mobilePhone: '614-555-0199', zip: '43210', createdAt: '2024-03-01T15:25:00Z' });
    const level = (p: typeof anchor) => COMPARISONS[7]!.levels[householdLevel(p, [anchor], 10 / 1440)!.level]!.name;
    expect(level(soon)).toBe('coregistered');
    expect(level(late)).toBe('related');
    expect(householdLevel(soon, [anchor], 10 / 1440)!.anchors).toEqual(['A']);
  });
});

describe('the sequence of bookings after a lead', () => {
  const call = normalizeLead(lead({ id: 'L', occurredAt: '2024-03-01T15:00:00Z', phone: '614-202-3003' }), areaCodes);
  const child = (id: string, createdAt: string, birthdate = '2016-05-05') => chart({ id, birthdate, homePhone: '614-202-3003', createdAt });
  const first = child('K1', '2024-03-05T10:00:00Z');
  const second = child('K2', '2024-03-20T10:00:00Z');
  const sibling = child('K3', '2024-03-20T10:05:00Z');
  const bookings = [first, second, sibling].map((p) => p.createdDay).sort((a, b) => a - b);

  it("takes the household's first booking after the lead as the lead's own", () => {
    expect(sequenceName(sequenceLevel(call, first, bookings, 10 / 1440))).toBe('next');
  });

  it('reads a child booked after another booking of the household as superseded', () => {
    expect(sequenceName(sequenceLevel(call, second, bookings, 10 / 1440))).toBe('superseded');
  });

  it('does not let a chart registered together with another supersede it', () => {
    const together = [first.createdDay, second.createdDay].sort((a, b) => a - b);
    expect(sequenceName(sequenceLevel(call, sibling, [...together, sibling.createdDay], 10 / 1440))).toBe('superseded');
    expect(sequenceName(sequenceLevel(call, sibling, [second.createdDay, sibling.createdDay], 10 / 1440))).toBe('next');
  });

  it("says nothing about adults, charts open before the lead, or charts without the lead's contact details", () => {
    expect(sequenceName(sequenceLevel(call, child('AD', '2024-03-20T10:00:00Z', '1980-01-01'), bookings, 10 / 1440))).toBe('missing');
    expect(sequenceName(sequenceLevel(call, child('OLD', '2023-01-20T10:00:00Z'), bookings, 10 / 1440))).toBe('missing');
    const elsewhere = chart({ id: 'X', birthdate: '2016-05-05', homePhone: '614-777-0000', createdAt: '2024-03-20T10:00:00Z' });
    expect(sequenceName(sequenceLevel(call, elsewhere, bookings, 10 / 1440))).toBe('missing');
  });
});

describe('when the chart was opened against the lead', () => {
  const sharing = { phone: () => 1, subscriber: () => 0, email: () => 1, surnameFrequency: () => 'middle' as const };
  const timing = (createdAt: string, birthdate = '1980-01-01') => {
    const vector = new Uint8Array(COMPARISONS.length);
    const call = normalizeLead(lead({ id: 'L', occurredAt: '2024-03-01T15:00:00Z', phone: '614-202-3003' }), areaCodes);
    compareIdentity(call, chart({ id: 'P', birthdate, createdAt }), sharing, vector);
    return COMPARISONS[TIMING_INDEX]!.levels[vector[TIMING_INDEX]!]!.name;
  };

  it('tells a chart opened in the hours before the call (a booking already made) from one opened after it', () => {
    expect(timing('2024-03-01T09:00:00Z')).toBe('adult_before');
    expect(timing('2024-03-01T15:20:00Z')).toBe('adult_same');
    expect(timing('2024-02-25T09:00:00Z')).toBe('adult_pending');
  });

  it('cannot say which came first when the chart gives only the day it was opened', () => {
    expect(timing('2024-03-01')).toBe('adult_same');
  });

  it('reads it by age at the time of the lead: a child, an adult, a senior (from 65), an adult when the birthdate is unknown', () => {
    expect(timing('2024-03-01T15:20:00Z', '2015-06-01')).toBe('minor_same');
    expect(timing('2024-03-01T15:20:00Z', '1959-06-01')).toBe('adult_same');
    expect(timing('2024-03-01T15:20:00Z', '1958-12-01')).toBe('senior_same');
    expect(timing('2024-03-01T15:20:00Z', '')).toBe('adult_same');
  });
});

describe('surname frequency', () => {
  it('splits charts into thirds by how many charts share their surname', () => {
    const counts = [1, 1, 1, 2, 2, 2, 40, 40, 40];
    expect(surnameFrequencyCuts(counts)).toEqual({ rare: 2, common: 40 });
    expect(surnameFrequencyCuts([])).toEqual({ rare: 0, common: Number.POSITIVE_INFINITY });
  });
});

describe('household links', () => {
  it('are never surer than the anchor they hang on', () => {
    const world = smallPractice();
    world.patients.push(patient({ id: 'C3b', firstName: 'Zoe', lastName: 'Smythe', birthdate: '2018-02-02', zip: '43213', createdAt: '2024-04-06T16:07:00Z', firstVisitDate: '2024-04-06' }));
    const engine = MatchEngine.run(world.patients, world.leads);
    const results = engine.resultsFor('L3');
    const family = results.find((p) => p.patientId === 'C3b')!;
    const anchors = results.filter((p) => p.patientId !== 'C3b').map((p) => p.confidence);
    expect(family.confidence).toBeLessThanOrEqual(Math.max(...anchors));
    expect(engine.models().coregistrationMinutes).toBeGreaterThan(0);
  });
});
