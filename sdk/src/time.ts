/**
 * Wall-clock ↔ UTC conversion for IANA zones without a date library. Sources like Open Dental send local times with
 * no offset; the practice's zone turns them into instants. Offsets are cached per zone and hour because a sync
 * converts hundreds of thousands of timestamps and Intl formatting is slow.
 */
const offsetCache = new Map<string, number>();
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2024-02-09 09:30:00` (or `2024-02-09T09:30:00`) in `timeZone` → `2024-02-09T17:30:00.000Z`. */
export function localDateTimeToUtc(local: string, timeZone: string): string {
  return new Date(localDateTimeToEpochMs(local, timeZone)).toISOString();
}

export function localDateTimeToEpochMs(local: string, timeZone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) throw new RangeError(`not a local date-time: ${local}`);
  const [, y, mo, d, h, mi, s] = match;
  const asIfUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // Two passes settle the offset on both sides of a DST change; a skipped local hour maps forward.
  const first = asIfUtc - zoneOffsetMs(asIfUtc, timeZone);
  const second = asIfUtc - zoneOffsetMs(first, timeZone);
  return second;
}

/** An instant → the wall-clock `yyyy-MM-dd HH:mm:ss` in `timeZone` (how Open Dental writes DateTStamp). */
export function epochMsToLocalDateTime(epochMs: number, timeZone: string): string {
  const local = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return local.toISOString().slice(0, 19).replace('T', ' ');
}

/** The zone's offset from UTC at an instant, in ms (e.g. -25_200_000 for PDT). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const hourKey = `${timeZone}|${Math.floor(epochMs / 3_600_000)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const hour = get('hour') % 24;
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), hour, get('minute'), get('second'));
  const offset = asUtc - Math.floor(epochMs / 1000) * 1000;
  if (offsetCache.size > 200_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
