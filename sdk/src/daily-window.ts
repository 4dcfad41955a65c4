import { z } from 'zod';
import type { SyncContext } from './context.ts';
import type { StreamCursor } from './define-connector.ts';
import { IsoDate } from './records/common.ts';
import { epochMsToLocalDateTime } from './time.ts';

/**
 * Daily reports (ad spend, click reports, Business Profile and GA4 metrics) are pulled by day. Their cursor is the last
 * day synced; each run re-reads a few days behind it because the sources revise recent days (late clicks, invalid-click
 * credits, GA4's three-day late events) and only complete days are read.
 */
export const DayCursor = z.object({ through: IsoDate });
export type DayCursor = z.infer<typeof DayCursor>;

export const dayCursor: StreamCursor<DayCursor> = {
  schema: DayCursor,
  compare: (a, b) => (a.through < b.through ? -1 : a.through > b.through ? 1 : 0),
};

export interface DailyWindowOptions {
  /** Days re-read behind the cursor on every run. */
  overlapDays: number;
  /** Days read on the first run. */
  backfillDays: number;
  /** Days per request and commit. */
  chunkDays: number;
  /** The oldest day the source still serves, counted back from today (Google's click_view: 90). */
  maxLookbackDays?: number;
  /** The zone whose calendar defines "today" (the account's or property's). Default UTC. */
  timeZone?: string;
}

/** `2025-03-14` plus `days` (negative goes back). */
export function addDaysToDate(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar date of an instant in a zone. */
export function dateInZone(instant: Date, timeZone = 'UTC'): string {
  return epochMsToLocalDateTime(instant.getTime(), timeZone).slice(0, 10);
}

/** Every date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = from; day <= to; day = addDaysToDate(day, 1)) dates.push(day);
  return dates;
}

/** The days a run should read: from the cursor minus the overlap (or the backfill start) through yesterday. */
export function dailyWindow(cursor: DayCursor | undefined, today: string, options: DailyWindowOptions): { from: string; to: string } | undefined {
  const to = addDaysToDate(today, -1);
  let from = cursor ? addDaysToDate(cursor.through, 1 - options.overlapDays) : addDaysToDate(to, 1 - options.backfillDays);
  if (options.maxLookbackDays !== undefined) {
    const oldest = addDaysToDate(today, -options.maxLookbackDays);
    if (from < oldest) from = oldest;
  }
  return from <= to ? { from, to } : undefined;
}

/**
 * Runs a daily stream: reads the window in chunks, oldest first, and commits `{ through }` after each chunk. The cursor
 * never moves back, even though the overlap re-reads days behind it.
 */
export async function syncDailyWindow<Settings>(
  ctx: SyncContext<Settings, DayCursor>,
  options: DailyWindowOptions,
  syncChunk: (from: string, to: string) => Promise<void>,
): Promise<void> {
  const previous = ctx.cursor.get();
  const window = dailyWindow(previous, dateInZone(ctx.now(), options.timeZone), options);
  if (!window) return;
  const days = datesBetween(window.from, window.to);
  for (let start = 0; start < days.length; start += options.chunkDays) {
    const chunk = days.slice(start, start + options.chunkDays);
    const from = chunk[0]!;
    const to = chunk.at(-1)!;
    await syncChunk(from, to);
    const through = previous && previous.through > to ? previous.through : to;
    await ctx.cursor.set({ through });
    ctx.progress(start + chunk.length, days.length);
  }
}
