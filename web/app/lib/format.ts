// Fixed locale, explicit time zone and a 24-hour clock: the server and the browser format identically, so hydration
// never disagrees about a timestamp.
const LOCALE = "en-US";

export function formatDateTime(iso: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(LOCALE, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(iso));
}

export function formatDate(iso: string, timeZone = "UTC"): string {
  return new Intl.DateTimeFormat(LOCALE, { year: "numeric", month: "short", day: "numeric", timeZone }).format(new Date(iso));
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function zoneOffset(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour! % 24, +parts.minute!, +parts.second!);
  return asUtc - instant.getTime();
}

/** Midnight at the start of `date` (YYYY-MM-DD) in `timeZone`, as a UTC instant; null for a malformed date. */
export function startOfDay(date: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const utcMidnight = Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!);
  if (Number.isNaN(utcMidnight)) return null;
  // Two passes settle the offset on days when it changes (daylight-saving transitions).
  let guess = utcMidnight - zoneOffset(new Date(utcMidnight), timeZone);
  guess = utcMidnight - zoneOffset(new Date(guess), timeZone);
  return new Date(guess);
}

/** The day after `date` (YYYY-MM-DD). */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export const ROLE_LABELS = { ADMIN: "Admin", ANALYST: "Analyst", VIEWER: "Viewer" } as const;
export const ROLE_HINTS = {
  ADMIN: "Manages people, settings and integrations; sees patient details.",
  ANALYST: "Reports and patient details; no settings.",
  VIEWER: "Totals only; no patient details.",
} as const;

export function roleLabel(role: string | null | undefined): string {
  const key = (role ?? "").toUpperCase() as keyof typeof ROLE_LABELS;
  return ROLE_LABELS[key] ?? "No access";
}

/** Time zones offered in pickers; a practice's current zone is added when it is not among them. */
export const TIME_ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Puerto_Rico",
  "America/Toronto",
  "America/Vancouver",
  "America/Halifax",
  "Europe/London",
  "Europe/Dublin",
  "Australia/Sydney",
  "UTC",
];
