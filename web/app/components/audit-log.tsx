import { Form, Link, useLocation, useNavigation } from "@remix-run/react";
import { Alert, Badge, Card, SelectField, SubmitButton, TableFrame, TextField, buttonClass, td, th } from "~/components/ui";
import { formatDateTime } from "~/lib/format";
import type { AuditFilters, AuditPage } from "~/lib/audit.server";

const CATEGORIES: Array<[string, string]> = [
  ["auth.", "Sign-in and security"],
  ["agency.", "Agency changes"],
  ["practice.", "Practice changes"],
  ["location.", "Location changes"],
  ["invitation.", "Invitations"],
  ["membership.", "Members and roles"],
  ["api_token.", "API tokens"],
  ["audit_log.", "Audit log reads"],
];

const ACTIONS = [
  "auth.login_succeeded",
  "auth.login_failed",
  "auth.password_verified",
  "auth.mfa_enabled",
  "auth.mfa_disabled",
  "auth.mfa_failed",
  "auth.logout",
  "auth.password_changed",
  "auth.password_reset_requested",
  "auth.password_reset",
  "agency.created",
  "agency.updated",
  "practice.created",
  "practice.updated",
  "location.created",
  "location.updated",
  "invitation.created",
  "invitation.accepted",
  "invitation.revoked",
  "membership.role_changed",
  "membership.removed",
  "api_token.created",
  "api_token.revoked",
  "audit_log.read",
];

/** "role: viewer · fields: name, timeZone": the event's details as short key/value pairs. */
function detailsText(details: string, fields: string[]): string | null {
  const parts: string[] = [];
  if (fields.length) parts.push(`fields: ${fields.join(", ")}`);
  try {
    const parsed: unknown = JSON.parse(details);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed)) parts.push(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    } else if (parsed !== null) parts.push(String(details));
  } catch {
    if (details) parts.push(details);
  }
  return parts.length ? parts.join(" · ") : null;
}

function pageLink(search: string, cursor: { after?: string; before?: string }): string {
  const params = new URLSearchParams(search);
  params.delete("after");
  params.delete("before");
  if (cursor.after) params.set("after", cursor.after);
  if (cursor.before) params.set("before", cursor.before);
  return `?${params.toString()}`;
}

/**
 * The audit log of an agency or a practice: filters in the URL, one page of events, newer/older pages, and every event
 * the filters match as a CSV download (`exportHref` builds its URL from the applied filters).
 */
export function AuditLog({ page, showPractice, exportHref }: { page: AuditPage; showPractice: boolean; exportHref: (filters: AuditFilters) => string }) {
  const { search, pathname } = useLocation();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === pathname;
  const { filters, events, timeZone } = page;
  const knownAction = !filters.action || CATEGORIES.some(([p]) => p === filters.action) || ACTIONS.includes(filters.action);

  return (
    <div className="space-y-6">
      <Card title="Filters">
        {/* Keyed by the query string: after "Clear" or back/forward, the fields show the filters actually applied. */}
        <Form key={search} method="get" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[1.5fr_1fr_1fr_auto] lg:items-end">
          <SelectField label="Action" name="action" defaultValue={filters.action}>
            <option value="">All actions</option>
            {!knownAction ? <option value={filters.action}>{filters.action}</option> : null}
            <optgroup label="Categories">
              {CATEGORIES.map(([prefix, label]) => (
                <option key={prefix} value={prefix}>
                  {label} ({prefix}*)
                </option>
              ))}
            </optgroup>
            <optgroup label="Single actions">
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          </SelectField>
          <TextField label="From" name="from" type="date" defaultValue={filters.from} />
          <TextField label="To" name="to" type="date" defaultValue={filters.to} />
          <div className="flex gap-2">
            <SubmitButton pending={loading} pendingLabel="Filtering…">
              Apply filters
            </SubmitButton>
            <Link to="?" className={buttonClass("ghost")}>
              Clear
            </Link>
          </div>
        </Form>
        <p className="mt-3 text-sm text-slate-600">Dates are whole days in {timeZone.replace(/_/g, " ")}; both ends are included.</p>
      </Card>

      {page.problem ? <Alert tone="error">{page.problem}</Alert> : null}

      <Card
        title="Events"
        description={`Newest first. Times in ${timeZone.replace(/_/g, " ")}. Reading this log is itself recorded.`}
        actions={
          page.problem ? null : (
            <a href={exportHref(filters)} className={buttonClass("secondary", "sm")} download>
              Export CSV
            </a>
          )
        }
      >
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">No events match these filters.</p>
        ) : (
          <TableFrame label="Audit events">
            <thead>
              <tr>
                <th scope="col" className={th}>
                  When
                </th>
                <th scope="col" className={th}>
                  Action
                </th>
                <th scope="col" className={th}>
                  Who
                </th>
                {showPractice ? (
                  <th scope="col" className={th}>
                    Practice
                  </th>
                ) : null}
                <th scope="col" className={th}>
                  Target
                </th>
                <th scope="col" className={th}>
                  Details
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => {
                const details = detailsText(e.details, e.fields);
                return (
                  <tr key={e.id}>
                    <td className={`${td} whitespace-nowrap`}>
                      <time dateTime={e.occurredAt} suppressHydrationWarning>
                        {formatDateTime(e.occurredAt, timeZone)}
                      </time>
                    </td>
                    <td className={td}>
                      <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">{e.action}</code>
                    </td>
                    <td className={td}>
                      <div className="text-slate-900">{e.actor?.displayName ?? e.actorLabel ?? "System"}</div>
                      {e.actor ? <div className="text-xs text-slate-600">{e.actor.email}</div> : null}
                      {e.viaApiToken ? (
                        <div className="mt-1">
                          <Badge tone="amber">via API token</Badge>
                        </div>
                      ) : null}
                    </td>
                    {showPractice ? <td className={td}>{e.practice?.name ?? "—"}</td> : null}
                    <td className={td}>
                      {e.targetType ? (
                        <>
                          <span className="text-slate-900">{e.targetType}</span>
                          {e.targetId ? <div className="font-mono text-xs text-slate-600">{e.targetId.slice(0, 8)}</div> : null}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className={td}>
                      {details ? <div className="w-56 break-all font-mono text-xs text-slate-700">{details}</div> : null}
                      {e.ip ? <div className="text-xs text-slate-600">IP {e.ip}</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </TableFrame>
        )}
        <nav aria-label="Audit log pages" className="mt-4 flex justify-between gap-3">
          {page.newerCursor ? (
            <Link to={pageLink(search, { before: page.newerCursor })} className={buttonClass("secondary", "sm")}>
              ← Newer events
            </Link>
          ) : (
            <span />
          )}
          {page.olderCursor ? (
            <Link to={pageLink(search, { after: page.olderCursor })} className={buttonClass("secondary", "sm")}>
              Older events →
            </Link>
          ) : null}
        </nav>
      </Card>
    </div>
  );
}
