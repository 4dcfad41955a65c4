// Wording and small calculations for Settings → Integrations, shared by the server render and the browser.

/** A connection's status (`Connection.status`) in the words an office manager would use. */
export function connectionStatus(status: string): { label: string; tone: "neutral" | "green" | "amber" | "red" } {
  switch (status) {
    case "ok":
      return { label: "Connected", tone: "green" };
    case "auth_failed":
      return { label: "Check credentials", tone: "red" };
    case "rate_limited":
      return { label: "Rate limited — retrying", tone: "amber" };
    case "error":
      return { label: "Error", tone: "red" };
    case "new":
      return { label: "Not checked yet", tone: "neutral" };
    default:
      return { label: status, tone: "neutral" };
  }
}

export function runStatus(status: string): { label: string; tone: "neutral" | "indigo" | "green" | "amber" | "red" } {
  switch (status) {
    case "running":
      return { label: "Running", tone: "indigo" };
    case "succeeded":
      return { label: "Succeeded", tone: "green" };
    case "failed":
      return { label: "Failed", tone: "red" };
    case "cancelled":
      return { label: "Cancelled", tone: "amber" };
    default:
      return { label: status, tone: "neutral" };
  }
}

const TRIGGERS: Record<string, string> = { manual: "Sync now", schedule: "Schedule", reconcile: "Nightly check" };

export function triggerLabel(trigger: string): string {
  return TRIGGERS[trigger] ?? humanize(trigger);
}

const KINDS: Record<string, string> = {
  patient: "Patients",
  appointment: "Appointments",
  procedure: "Procedures",
  payment: "Payments",
  adjustment: "Adjustments",
  provider: "Providers",
  location: "Locations",
  "referral-source": "Referral sources",
  lead: "Leads",
  spend: "Ad spend",
  "ad-campaign": "Ad campaigns",
  "ad-group": "Ad groups",
  "ad-keyword": "Ad keywords",
  "ad-click": "Ad clicks",
  "gbp-metric": "Google Business Profile metrics",
  "ga4-metric": "Google Analytics metrics",
};

/** "referral-source" → "Referral sources"; unknown kinds are shown readably rather than hidden. */
export function kindLabel(kind: string): string {
  return KINDS[kind] ?? humanize(kind);
}

/** "referral-sources" → "Referral sources" (stream names are machine names). */
export function humanize(name: string): string {
  const spaced = name.replace(/[-_]+/g, " ").trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export const CONNECTOR_KINDS: Record<string, string> = { pms: "Practice management systems", "lead-source": "Lead sources" };

export interface KindCounts {
  inserted: number;
  updated: number;
  deleted: number;
  skipped: number;
}

/** `SyncRun.counts` (JSON text) as rows per record kind; malformed JSON shows as no counts rather than a broken page. */
export function parseCounts(json: string): Array<{ kind: string } & KindCounts> {
  const value = safeJson(json);
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, Partial<KindCounts> | null>).map(([kind, c]) => ({
    kind,
    inserted: Number(c?.inserted ?? 0),
    updated: Number(c?.updated ?? 0),
    deleted: Number(c?.deleted ?? 0),
    skipped: Number(c?.skipped ?? 0),
  }));
}

export interface RunError {
  record: string;
  field: string;
  message: string;
}

/** `SyncRun.errors` (JSON text): rejected records by record and field, never values. */
export function parseRunErrors(json: string): RunError[] {
  const value = safeJson(json);
  if (!Array.isArray(value)) return [];
  return value.map((e: Partial<RunError> | null) => ({ record: String(e?.record ?? ""), field: String(e?.field ?? ""), message: String(e?.message ?? "") }));
}

/** `Connection.settings` (JSON text, secrets masked). */
export function parseSettingsJson(json: string | null | undefined): Record<string, unknown> {
  const value = json ? safeJson(json) : null;
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** How the API masks a stored secret in `Connection.settings`. */
export const MASKED_SECRET = "••••••";

/**
 * The API rejects bad settings in one message, `The Open Dental settings are not valid — customerKey: Too small…;
 * timeZone: not an IANA time zone.`, so it can be shown by field. Problems not about a field stay in `general`.
 */
export function settingsProblems(message: string): { byField: Record<string, string[]>; general: string[] } {
  const match = /settings are not valid — (.*?)\.?$/s.exec(message);
  if (!match) return { byField: {}, general: [message] };
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const part of match[1]!.split("; ")) {
    const colon = /^([A-Za-z0-9_.]+): (.*)$/s.exec(part);
    if (!colon || colon[1] === "settings") {
      general.push(colon ? colon[2]! : part);
      continue;
    }
    const field = colon[1]!.split(".")[0]!;
    (byField[field] ??= []).push(colon[1] === field ? colon[2]! : `${colon[1]}: ${colon[2]}`);
  }
  return { byField, general };
}

const RELATIVE = new Intl.RelativeTimeFormat("en-US", { numeric: "auto" });

/** "3 minutes ago", "yesterday"; `now` is passed in so the server and the first browser render agree. */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return RELATIVE.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return RELATIVE.format(Math.round(seconds / 3600), "hour");
  if (abs < 26 * 86400) return RELATIVE.format(Math.round(seconds / 86400), "day");
  if (abs < 320 * 86400) return RELATIVE.format(Math.round(seconds / (30 * 86400)), "month");
  return RELATIVE.format(Math.round(seconds / (365 * 86400)), "year");
}

/** "850 ms", "42 s", "3 min 5 s", "1 h 20 min". */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

export function formatInterval(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** What the interval picker offers; the API accepts 5 to 1440 minutes, and a stored value outside this list is added. */
export const SYNC_INTERVALS = [5, 10, 15, 30, 60, 120, 240, 360, 720, 1440];

export const NUMBER_FORMAT = new Intl.NumberFormat("en-US");
