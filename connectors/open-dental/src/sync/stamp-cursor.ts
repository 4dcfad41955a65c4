import { zoneOffsetMs } from '@sourceline/sdk';
import { z } from 'zod';

const serverTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

/**
 * Where a DateTStamp stream stands. Times are the office server's own wall clock (`serverDateTime`), never ours:
 * the office clock may be skewed, and Open Dental compares the filter against its own stamps.
 */
export const StampCursor = z.object({
  /** Completed passes (the first full sync is pass 0). */
  pass: z.number().int().min(0),
  phase: z.enum(['full', 'incremental']),
  /** Full phase only: rows of the unfiltered listing already committed. */
  offset: z.number().int().min(0),
  /** Full phase only: serverDateTime when the current full pass began. */
  passStartedAt: serverTime.nullable(),
  /** serverDateTime captured at the start of the last completed pass: the next pass reads changes from here. */
  since: serverTime.nullable(),
  /** Rows already emitted whose stamp falls inside the overlap window, so re-reading the window emits nothing new. */
  seen: z.record(z.string(), z.string()),
  /** serverDateTime of the last full id listing (hard-delete detection). */
  reconciledAt: serverTime.nullable(),
});
export type StampCursor = z.infer<typeof StampCursor>;

export const initialCursor: StampCursor = { pass: 0, phase: 'full', offset: 0, passStartedAt: null, since: null, seen: {}, reconciledAt: null };

/** Passes only move forward; within the full pass, so does the offset. */
export function compareStampCursors(a: StampCursor, b: StampCursor): number {
  return a.pass - b.pass || phaseRank(a) - phaseRank(b) || (a.phase === 'full' ? a.offset - b.offset : 0);
}

function phaseRank(c: StampCursor): number {
  return c.phase === 'full' ? 0 : 1;
}

/** Server wall-clock text → seconds on a naive (zone-less) scale, for arithmetic only. */
export function serverSeconds(text: string): number {
  return Date.UTC(
    Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)),
    Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19)),
  ) / 1000;
}

export function serverText(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The DateTStamp to request for a pass that starts from `since`: the overlap window behind it, plus an hour when the
 * office's clocks fell back within the window (stamps written in the repeated hour read earlier than `since`).
 */
export function overlapFloor(since: string, overlapSeconds: number, timeZone: string): string {
  let floor = serverSeconds(since) - overlapSeconds;
  const sinceUtcMs = (serverSeconds(since) * 1000) - zoneOffsetMs(serverSeconds(since) * 1000, timeZone);
  const earlierUtcMs = sinceUtcMs - (overlapSeconds + 3600) * 1000;
  if (zoneOffsetMs(earlierUtcMs, timeZone) > zoneOffsetMs(sinceUtcMs, timeZone)) floor -= 3600;
  return serverText(floor);
}

export function hoursBetween(earlier: string, later: string): number {
  return (serverSeconds(later) - serverSeconds(earlier)) / 3600;
}

/** The change-filter value for a pass from `since`: a date-time for DateTStamp, the day before for date-only DateEntry. */
export function changeFilterValue(filter: 'DateTStamp' | 'DateEntry', since: string, overlapSeconds: number, timeZone: string): string {
  const floor = overlapFloor(since, overlapSeconds, timeZone);
  return filter === 'DateTStamp' ? floor : serverText(serverSeconds(floor) - 86_400).slice(0, 10);
}
