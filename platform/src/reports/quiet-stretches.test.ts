import { describe, expect, it } from 'vitest';
import { quietStretches } from './quiet-stretches.ts';

/** March 2024: the 1st is a Friday; weekends are the 2nd–3rd, 9th–10th, 16th–17th, 23rd–24th and 30th–31st. */
const march = { from: '2024-03-01', to: '2024-03-31' };
const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `2024-03-${String(from + i).padStart(2, '0')}`);
/** Leads every day of March at the given weekday and weekend pace, but for the days left out. */
function paced(weekday: number, weekend: number, except: string[] = []) {
  return new Map(
    days(1, 31)
      .filter((d) => !except.includes(d))
      .map((d) => [d, [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) ? weekend : weekday]),
  );
}

describe('quiet stretches', () => {
  it('finds the days a busy practice received no lead at all, most recent first', () => {
    // 128 leads on 21 weekdays, 6.1 a weekday: two quiet weekdays should have brought 12.
    const leads = paced(8, 3, [...days(12, 13), ...days(26, 28)]);
    expect(quietStretches(march, leads, '2024-03-31')).toEqual([
      { from: '2024-03-26', to: '2024-03-28', days: 3, expectedLeads: 18 },
      { from: '2024-03-12', to: '2024-03-13', days: 2, expectedLeads: 12 },
    ]);
  });

  it('leaves a quiet weekend alone where leads are phone calls on weekdays', () => {
    expect(quietStretches(march, paced(10, 0), '2024-03-31')).toEqual([]);
  });

  it('starts a stretch on the first day that expected a lead, not on the quiet weekend before it', () => {
    // No calls on weekends, and none from Monday the 11th to Wednesday the 13th.
    expect(quietStretches(march, paced(8, 0, days(11, 13)), '2024-03-31')).toEqual([{ from: '2024-03-11', to: '2024-03-13', days: 3, expectedLeads: 21 }]);
  });

  it('leaves a small practice’s quiet days alone: none expected is no sign', () => {
    expect(quietStretches(march, paced(1, 1, days(12, 14)), '2024-03-31')).toEqual([]);
  });

  it('counts a stretch running to the last day that is over, and nothing after it', () => {
    // The webhook stopped on the 20th; "today" is the 23rd, whose leads are still to come.
    const leads = paced(8, 3, days(20, 31));
    expect(quietStretches(march, leads, '2024-03-22')).toEqual([{ from: '2024-03-20', to: '2024-03-22', days: 3, expectedLeads: 20 }]);
    expect(quietStretches({ from: '2024-04-01', to: '2024-04-30' }, leads, '2024-03-31')).toEqual([]);
  });
});
