import { IsoDate } from '@sourceline/sdk';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';

/** A range of calendar days in the practice's zone, both ends included. */
export interface DayRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
/** Three years and a day: the longest range a report reads at once. */
const MAX_DAYS = 3 * 366;

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Checks a report's range, naming the argument at fault. */
export function parseDayRange(from: string, to: string): DayRange {
  if (!IsoDate.safeParse(from).success) throw new UserFacingError('`from` must be a date as YYYY-MM-DD.', 'BAD_USER_INPUT', { field: 'from' });
  if (!IsoDate.safeParse(to).success) throw new UserFacingError('`to` must be a date as YYYY-MM-DD.', 'BAD_USER_INPUT', { field: 'to' });
  const days = dayOf(to) - dayOf(from) + 1;
  if (days < 1) throw new UserFacingError('`to` must not be before `from`.', 'BAD_USER_INPUT', { field: 'to' });
  if (days > MAX_DAYS) throw new UserFacingError('Ask for at most three years at a time.', 'BAD_USER_INPUT', { field: 'to' });
  return { from, to };
}

/** The range of the same length just before: what "compared with the previous period" compares with. */
export function previousRange(range: DayRange): DayRange {
  const length = dayOf(range.to) - dayOf(range.from) + 1;
  return { from: dateOf(dayOf(range.from) - length), to: dateOf(dayOf(range.from) - 1) };
}

/**
 * Where whole days in a zone begin and end, as instants: `from`'s midnight, and the midnight after `to` (exclusive).
 * Postgres knows the zones' daylight-saving rules; either end may be open.
 */
export async function dayBoundsIn(tx: Tx, days: { from: string | null; to: string | null }, timeZone: string): Promise<{ from: Date | null; to: Date | null }> {
  for (const [field, day] of Object.entries(days)) {
    if (day !== null && !IsoDate.safeParse(day).success) throw new UserFacingError(`\`${field}\` must be a date as YYYY-MM-DD.`, 'BAD_USER_INPUT', { field });
  }
  const [bounds] = await tx.$queryRaw<[{ from: Date | null; to: Date | null }]>`
    SELECT (${days.from}::date::timestamp AT TIME ZONE ${timeZone}) AS "from", ((${days.to}::date + 1)::timestamp AT TIME ZONE ${timeZone}) AS "to"`;
  return bounds;
}
