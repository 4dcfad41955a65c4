/** Calendar arithmetic on `YYYY-MM-DD` strings via UTC day numbers (no zone can shift a calendar date). */
const dayMs = 86_400_000;

export function dayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / dayMs;
}

const dateCache: string[] = [];

export function dateOfDay(day: number): string {
  // Generating a large world formats the same few thousand days millions of times.
  const cached = day >= 0 ? dateCache[day] : undefined;
  if (cached !== undefined) return cached;
  const text = new Date(day * dayMs).toISOString().slice(0, 10);
  if (day >= 0 && day < 100_000) dateCache[day] = text;
  return text;
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(dayNumber(date) * dayMs);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday. */
export function weekday(date: string): number {
  return (dayNumber(date) + 4) % 7;
}

/** Moves weekend dates to the following Monday: the demo practices are closed on weekends. */
export function nextBusinessDay(date: string): string {
  const wd = weekday(date);
  return wd === 6 ? addDays(date, 2) : wd === 0 ? addDays(date, 1) : date;
}

/** `yyyy-MM-dd HH:mm:ss` from a date and minutes after midnight (plus seconds). */
export function localStamp(date: string, minutes: number, seconds = 0): string {
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${date} ${pad(h)}:${pad(m)}:${pad(seconds)}`;
}

export function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function maxStamp(a: string, b: string): string {
  return a > b ? a : b;
}
