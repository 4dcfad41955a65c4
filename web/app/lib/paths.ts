/** Every in-app URL, built in one place so links and redirects agree. */
export const paths = {
  home: () => "/",
  login: (next?: string) => (next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login"),
  welcome: () => "/welcome",
  newAgency: () => "/agencies/new",
  account: () => "/account",
  apiTokens: () => "/account/api-tokens",
  agency: (agencyId: string) => `/a/${agencyId}`,
  agencyUsers: (agencyId: string) => `/a/${agencyId}/users`,
  agencySettings: (agencyId: string) => `/a/${agencyId}/settings`,
  agencyAudit: (agencyId: string) => `/a/${agencyId}/audit`,
  practice: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}`,
  location: (agencyId: string, practiceId: string, locationId: string) => `/a/${agencyId}/p/${practiceId}/l/${locationId}`,
  practiceUsers: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/users`,
  practiceSettings: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/settings`,
  practiceAudit: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/audit`,
  integrations: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/integrations`,
  newConnection: (agencyId: string, practiceId: string, connectorId: string) =>
    `/a/${agencyId}/p/${practiceId}/integrations/new/${encodeURIComponent(connectorId)}`,
  connection: (agencyId: string, practiceId: string, connectionId: string) => `/a/${agencyId}/p/${practiceId}/integrations/${connectionId}`,
  reviewQueue: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/review`,
  months: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/months`,
  leads: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/leads`,
  spend: (agencyId: string, practiceId: string) => `/a/${agencyId}/p/${practiceId}/spend`,
  channel: (agencyId: string, practiceId: string, channel: string) => `/a/${agencyId}/p/${practiceId}/channels/${channel}`,
  patient: (agencyId: string, practiceId: string, patientId: string) => `/a/${agencyId}/p/${practiceId}/patients/${patientId}`,
};

/** Only same-site paths may be a post-sign-in destination: `//evil.example` or a full URL would be an open redirect. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}

/** A practice's tables as CSV downloads (served by the platform under /exports, audited there). */
export type PracticeExport = "channels" | "campaigns" | "patients" | "leads" | "review-queue" | "spend" | "month-snapshots" | "sync-runs" | "audit-log";

/** The filters a download carries: the screen's range, model, channel, location, lead status, connection or audit filters. */
export interface ExportFilters {
  from?: string | null;
  to?: string | null;
  model?: string | null;
  channel?: string | null;
  location?: string | null;
  status?: string | null;
  connection?: string | null;
  action?: string | null;
}

const EXPORT_PARAMS = ["from", "to", "model", "channel", "location", "status", "connection", "action"] as const;

/** The download's query string. Enum values (model, channel) travel kebab-cased; empty filters are left out. */
function exportQuery(filters: ExportFilters): string {
  const kebab = (value: string) => value.toLowerCase().replace(/_/g, "-");
  const params = new URLSearchParams();
  for (const key of EXPORT_PARAMS) {
    const value = filters[key];
    if (value) params.set(key, key === "model" || key === "channel" ? kebab(value) : value);
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

export function exportUrl(practiceId: string, report: PracticeExport, filters: ExportFilters = {}): string {
  return `/exports/${practiceId}/${report}.csv${exportQuery(filters)}`;
}

/** An agency's tables as CSV downloads: its console, and its own audit log. */
export function agencyExportUrl(agencyId: string, report: "practices" | "audit-log", filters: ExportFilters = {}): string {
  return `/exports/agencies/${agencyId}/${report}.csv${exportQuery(filters)}`;
}
