import type { DayRange } from './report-range.ts';

/** A stretch of whole days in which not one lead arrived, though the practice's pace says some should have. */
export interface QuietStretch {
  from: string;
  to: string;
  days: number;
  /** Leads the practice's pace in the range would have brought in those days. */
  expectedLeads: number;
}

/**
 * Expected leads at which none arriving is a sign, not chance: leads come about independently, so the chance of
 * none when six are expected is e⁻⁶, a quarter of a percent.
 */
const MIN_EXPECTED_LEADS = 6;

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Saturdays and Sundays: calls stop while forms trickle in, so weekends have their own pace. */
const isWeekend = (day: number) => [0, 6].includes(new Date(day * DAY_MS).getUTCDay());

/**
 * Runs of days in `range` (up to `lastWholeDay`, the last day that is over) without a single lead, that the range's
 * own pace makes unlikely: a form that broke, a webhook or tracking number that stopped. Weekdays and weekends are
 * paced apart, so a quiet weekend at a practice whose leads are calls is not a gap. Most recent first.
 */
export function quietStretches(range: DayRange, leadsByDay: ReadonlyMap<string, number>, lastWholeDay: string): QuietStretch[] {
  const first = dayOf(range.from);
  const last = Math.min(dayOf(range.to), dayOf(lastWholeDay));
  if (last < first) return [];
  const totals = { weekday: { leads: 0, days: 0 }, weekend: { leads: 0, days: 0 } };
  for (let day = first; day <= last; day++) {
    const kind = totals[isWeekend(day) ? 'weekend' : 'weekday'];
    kind.leads += leadsByDay.get(dateOf(day)) ?? 0;
    kind.days += 1;
  }
  const pace = (day: number) => {
    const kind = totals[isWeekend(day) ? 'weekend' : 'weekday'];
    return kind.days ? kind.leads / kind.days : 0;
  };
  const stretches: QuietStretch[] = [];
  // A stretch runs from the first to the last quiet day that expected a lead: a quiet weekend before a broken Monday
  // is no part of the break.
  let start: number | null = null;
  let end = 0;
  let expected = 0;
  for (let day = first; day <= last + 1; day++) {
    if (day <= last && (leadsByDay.get(dateOf(day)) ?? 0) === 0) {
      if (pace(day) === 0) continue;
      start ??= day;
      end = day;
      expected += pace(day);
      continue;
    }
    if (start !== null && expected >= MIN_EXPECTED_LEADS) {
      stretches.push({ from: dateOf(start), to: dateOf(end), days: end - start + 1, expectedLeads: Math.round(expected) });
    }
    start = null;
    expected = 0;
  }
  return stretches.reverse();
}
