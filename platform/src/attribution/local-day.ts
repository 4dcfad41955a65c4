/**
 * Calendar days as integers (days since 1970-01-01), so windows, levels and day buckets are integer arithmetic.
 * Dates without a time (`YYYY-MM-DD`: dates of service, payment dates) are already the practice's local calendar
 * date; instants are converted to the practice's IANA zone first.
 */
export type DayNumber = number;

const DAY_MS = 86_400_000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The SDK stores instants with an explicit offset; one without would be read in the server's zone, silently. */
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export class AttributionInputError extends Error {
  override readonly name = 'AttributionInputError';
}

export function dayNumberOfDate(isoDate: string): DayNumber {
  const match = datePattern.exec(isoDate);
  if (!match) throw new AttributionInputError(`expected a date as YYYY-MM-DD, got "${isoDate}"`);
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const day = ms / DAY_MS;
  if (isoDateOfDay(day) !== isoDate) throw new AttributionInputError(`"${isoDate}" is not a real calendar date`);
  return day;
}

export function isoDateOfDay(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The same day of the month `months` later. A day the later month lacks rolls forward (29 Feb + 12 months is 1 Mar),
 * so "within 12 months of 29 Feb 2024" runs through 28 Feb 2025 and no day is lost.
 */
export function addCalendarMonths(day: DayNumber, months: number): DayNumber {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()) / DAY_MS;
}

/**
 * Local calendar days in one IANA zone, for dates and instants alike.
 *
 * Intl formatting costs microseconds, too much for millions of events, so the zone's UTC offset is looked up once per
 * UTC day: when the offset at the day's first and last millisecond agree (every day but the two DST switches), it
 * holds all day. On a switch day the local day is formatted per 15-minute slice of UTC time, which is exact for every
 * zone in use today: offsets are whole quarter hours and switches happen on the hour or half hour, local time.
 */
export class LocalDayClock {
  private readonly formatter: Intl.DateTimeFormat;
  /** UTC day → the zone's offset in ms for that whole day, or null on a day the offset changes. */
  private readonly offsetByUtcDay = new Map<number, number | null>();
  private readonly daysBySlice = new Map<number, DayNumber>();
  private readonly daysByDate = new Map<string, DayNumber>();

  constructor(readonly timeZone: string) {
    try {
      this.formatter = new Intl.DateTimeFormat('en-US', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      });
    } catch {
      throw new AttributionInputError(`"${timeZone}" is not an IANA time zone (expected e.g. "America/New_York")`);
    }
  }

  /** The local day of a `YYYY-MM-DD` date or of an instant with an offset; `what` names the record in errors. */
  dayOf(text: string, what: string): DayNumber {
    if (text.length === 10) {
      const known = this.daysByDate.get(text);
      if (known !== undefined) return known;
      try {
        const day = dayNumberOfDate(text);
        this.daysByDate.set(text, day);
        return day;
      } catch (error) {
        throw new AttributionInputError(`${what}: ${(error as Error).message}`);
      }
    }
    if (!instantPattern.test(text)) throw new AttributionInputError(`${what}: expected a date or an instant with an offset, got "${text}"`);
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) throw new AttributionInputError(`${what}: "${text}" is not a real instant`);
    return this.dayOfInstant(ms);
  }

  /** Epoch milliseconds of an instant, or null for a plain date (a touch whose time of day is unknown). */
  static instantOf(text: string): number | null {
    return text.length === 10 ? null : Date.parse(text);
  }

  dayOfInstant(epochMs: number): DayNumber {
    const utcDay = Math.floor(epochMs / DAY_MS);
    let offset = this.offsetByUtcDay.get(utcDay);
    if (offset === undefined) {
      const atStart = this.offsetAt(utcDay * DAY_MS);
      offset = atStart === this.offsetAt((utcDay + 1) * DAY_MS - 1) ? atStart : null;
      this.offsetByUtcDay.set(utcDay, offset);
    }
    if (offset !== null) return Math.floor((epochMs + offset) / DAY_MS);
    const slice = Math.floor(epochMs / 900_000);
    let day = this.daysBySlice.get(slice);
    if (day === undefined) {
      day = Math.floor((slice * 900_000 + this.offsetAt(slice * 900_000)) / DAY_MS);
      this.daysBySlice.set(slice, day);
    }
    return day;
  }

  /** Local wall-clock time minus UTC at an instant, in ms (whole seconds: Intl does not format milliseconds). */
  private offsetAt(epochMs: number): number {
    const wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.formatter.formatToParts(epochMs)) {
      if (part.type in wall) wall[part.type as keyof typeof wall] = Number(part.value);
    }
    const localAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    return localAsUtc - Math.floor(epochMs / 1000) * 1000;
  }
}
