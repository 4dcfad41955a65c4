import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarMonths, AttributionInputError, dayNumberOfDate, isoDateOfDay, LocalDayClock } from './local-day.ts';

const reference = (zone: string, epochMs: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(epochMs);

describe('local days in the practice zone', () => {
  it('puts 23:30 on 31 March in New York on the 31st, though it is already April in UTC', () => {
    const clock = new LocalDayClock('America/New_York');
    expect(isoDateOfDay(clock.dayOf('2024-04-01T03:30:00Z', 'procedure X1'))).toBe('2024-03-31');
    expect(isoDateOfDay(clock.dayOf('2024-04-01T04:30:00Z', 'procedure X2'))).toBe('2024-04-01');
  });

  it('follows the DST switch: 01:30 EDT and 01:30 EST on 3 Nov 2024 are both the 3rd', () => {
    const clock = new LocalDayClock('America/New_York');
    expect(isoDateOfDay(clock.dayOf('2024-11-03T05:30:00Z', 'lead'))).toBe('2024-11-03');
    expect(isoDateOfDay(clock.dayOf('2024-11-03T06:30:00Z', 'lead'))).toBe('2024-11-03');
    expect(isoDateOfDay(clock.dayOf('2024-11-04T04:59:59Z', 'lead'))).toBe('2024-11-03');
    expect(isoDateOfDay(clock.dayOf('2024-11-04T05:00:00Z', 'lead'))).toBe('2024-11-04');
  });

  it('reads an offset other than Z', () => {
    expect(isoDateOfDay(new LocalDayClock('Europe/Berlin').dayOf('2024-06-30T23:30:00-05:00', 'lead'))).toBe('2024-07-01');
  });

  it('agrees with Intl for any instant in zones with half-hour DST and quarter-hour offsets', () => {
    const zones = ['America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Europe/London', 'Pacific/Apia'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }), (zone, epochMs) => {
        expect(isoDateOfDay(new LocalDayClock(zone).dayOfInstant(epochMs))).toBe(reference(zone, epochMs));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with Intl minute by minute across a DST switch day (cached offsets must not leak across the switch)', () => {
    const clock = new LocalDayClock('Australia/Lord_Howe');
    for (let ms = Date.UTC(2024, 3, 6, 0); ms < Date.UTC(2024, 3, 8, 0); ms += 60_000) {
      expect(isoDateOfDay(clock.dayOfInstant(ms))).toBe(reference('Australia/Lord_Howe', ms));
    }
  });

  it('takes plain dates as the local calendar date they already are', () => {
    expect(isoDateOfDay(new LocalDayClock('Pacific/Kiritimati').dayOf('2024-02-29', 'procedure'))).toBe('2024-02-29');
  });

  it('names the record when a time is unusable', () => {
    const clock = new LocalDayClock('America/Chicago');
    expect(() => clock.dayOf('2024-02-30', 'payment P7 paidOn')).toThrow(/payment P7 paidOn: "2024-02-30" is not a real calendar date/);
    expect(() => clock.dayOf('2024-02-03T10:00:00', 'lead L1 occurredAt')).toThrow(/lead L1 occurredAt: expected a date or an instant with an offset/);
    expect(() => new LocalDayClock('Mars/Olympus_Mons')).toThrow(AttributionInputError);
  });
});

describe('calendar months', () => {
  it('rolls a missing day forward, so 29 Feb plus 12 months is 1 March', () => {
    expect(isoDateOfDay(addCalendarMonths(dayNumberOfDate('2024-02-29'), 12))).toBe('2025-03-01');
    expect(isoDateOfDay(addCalendarMonths(dayNumberOfDate('2024-03-15'), 12))).toBe('2025-03-15');
  });
});
