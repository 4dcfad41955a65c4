/**
 * Wall-clock ↔ UTC conversion for IANA zones without a date library. Sources like Open Dental send local times with
 * no offset; the practice's zone turns them into instants. Offsets are cached per zone and hour because a sync
 * converts hundreds of thousands of timestamps and Intl formatting is slow.
 */
const offsetCache = new Map<string, Map<number, number>>();
const localHourCache = new Map<string, Map<string, number>>();
const formatters = new Map<string, Intl.DateTimeFormat>();

const minuteCache = new Map<string, Map<string, string>>();

/** `2024-02-09 09:30:00` (or `2024-02-09T09:30:00`) in `timeZone` → `2024-02-09T17:30:00.000Z`. */
export function localDateTimeToUtc(local: string, timeZone: string): string {
  // Zone offsets are whole minutes, so a local minute maps to one UTC minute and the seconds carry over unchanged.
  if (local.length === 19 && local[16] === ':') {
    let zoneMinutes = minuteCache.get(timeZone);
    if (!zoneMinutes) minuteCache.set(timeZone, (zoneMinutes = new Map()));
    const minuteKey = local.slice(0, 16);
    let utcMinute = zoneMinutes.get(minuteKey);
    if (utcMinute === undefined) {
      const epochMs = localDateTimeToEpochMs(`${minuteKey}:00`, timeZone);
      if (epochMs % 60_000 !== 0) return new Date(localDateTimeToEpochMs(local, timeZone)).toISOString();
      utcMinute = new Date(epochMs).toISOString().slice(0, 16);
      if (zoneMinutes.size > 200_000) zoneMinutes.clear();
      zoneMinutes.set(minuteKey, utcMinute);
    }
    const seconds = local.slice(17, 19);
    if (/^[0-5]\d$/.test(seconds)) return `${utcMinute}:${seconds}.000Z`;
  }
  return new Date(localDateTimeToEpochMs(local, timeZone)).toISOString();
}

export function localDateTimeToEpochMs(local: string, timeZone: string): number {
  // Fast path: the UTC offset to apply is the same for a whole local hour (checked before caching it).
  const hourKey = local.slice(0, 13);
  let zoneHours = localHourCache.get(timeZone);
  const cachedShift = zoneHours?.get(hourKey);
  if (cachedShift !== undefined && local.length >= 16) {
    return Date.UTC(Number(local.slice(0, 4)), Number(local.slice(5, 7)) - 1, Number(local.slice(8, 10)), Number(local.slice(11, 13)), Number(local.slice(14, 16)), Number(local.slice(17, 19) || 0)) + cachedShift;
  }
  const epochMs = convertLocal(local, timeZone);
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}/.test(hourKey)) {
    const start = convertLocal(`${hourKey}:00:00`, timeZone);
    const end = convertLocal(`${hourKey}:59:59`, timeZone);
    if (end - start === 3_599_000) {
      if (!zoneHours) localHourCache.set(timeZone, (zoneHours = new Map()));
      if (zoneHours.size > 100_000) zoneHours.clear();
      zoneHours.set(hourKey, start - Date.UTC(Number(hourKey.slice(0, 4)), Number(hourKey.slice(5, 7)) - 1, Number(hourKey.slice(8, 10)), Number(hourKey.slice(11, 13))));
    }
  }
  return epochMs;
}

function convertLocal(local: string, timeZone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (!match) throw new RangeError(`not a local date-time: ${local}`);
  const [, y, mo, d, h, mi, s] = match;
  const asIfUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  // Try the offsets in force a day before and a day after. A repeated hour (fall back) fits both: take the earlier
  // instant. A skipped hour (spring forward) fits neither: read it with the earlier offset, which moves it forward
  // (02:30 becomes 03:30), as Temporal's "compatible" disambiguation does.
  const before = zoneOffsetMs(asIfUtc - 86_400_000, timeZone);
  const after = zoneOffsetMs(asIfUtc + 86_400_000, timeZone);
  const withBefore = asIfUtc - before;
  const withAfter = asIfUtc - after;
  const beforeFits = zoneOffsetMs(withBefore, timeZone) === before;
  const afterFits = zoneOffsetMs(withAfter, timeZone) === after;
  if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
  if (afterFits) return withAfter;
  return withBefore;
}

/** An instant → the wall-clock `yyyy-MM-dd HH:mm:ss` in `timeZone` (how Open Dental writes DateTStamp). */
export function epochMsToLocalDateTime(epochMs: number, timeZone: string): string {
  const local = new Date(epochMs + zoneOffsetMs(epochMs, timeZone));
  return local.toISOString().slice(0, 19).replace('T', ' ');
}

/** The zone's offset from UTC at an instant, in ms (e.g. -25_200_000 for PDT). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const utcHour = Math.floor(epochMs / 3_600_000);
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  const cached = zone.get(utcHour);
  if (cached !== undefined) return cached;
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const hour = get('hour') % 24;
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), hour, get('minute'), get('second'));
  const offset = asUtc - Math.floor(epochMs / 1000) * 1000;
  if (zone.size > 200_000) zone.clear();
  zone.set(utcHour, offset);
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
