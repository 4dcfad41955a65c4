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

/** A report as a CSV download (served by the platform under /exports, audited there). Enum values travel kebab-cased. */
export function exportUrl(
  practiceId: string,
  report: "channels" | "campaigns" | "patients",
  input: { from: string; to: string; model?: string | null; channel?: string | null; location?: string | null },
): string {
  const kebab = (value: string) => value.toLowerCase().replace(/_/g, "-");
  const params = new URLSearchParams({ from: input.from, to: input.to });
  if (input.model) params.set("model", kebab(input.model));
  if (input.channel) params.set("channel", kebab(input.channel));
  if (input.location) params.set("location", input.location);
  return `/exports/${practiceId}/${report}.csv?${params}`;
}
