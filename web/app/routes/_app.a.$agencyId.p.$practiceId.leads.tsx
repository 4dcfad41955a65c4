import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { graphql } from "~/gql";
import type { Channel, LeadStatus } from "~/gql/graphql";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { StageBadge } from "~/components/stage-badge";
import { Badge, Card, EmptyState, PageHeader, TableFrame, buttonClass, cx, td, th } from "~/components/ui";
import { formatDateTime, nextDay, startOfDay } from "~/lib/format";
import { loadQuery } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { formatPercent } from "~/lib/metrics";
import { exportUrl, paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";
import { CHANNELS, describeRange } from "~/lib/report-range";

const PAGE_SIZE = 50;

// Viewers see leads without PHI; analysts and admins also see who got in touch and whom matching linked. The API
// refuses those fields to viewers, so they are asked for only when the role may see them.
const LeadsQuery = graphql(`
  query PracticeLeads($id: ID!, $status: LeadStatus, $channel: Channel, $from: DateTime, $to: DateTime, $after: String, $first: Int, $people: Boolean!) {
    node(id: $id) {
      ... on Practice {
        id
        leads(filter: { status: $status, channel: $channel, from: $from, to: $to }, first: $first, after: $after) {
          edges {
            node {
              id
              occurredAt
              kind
              channelDisplayName
              channelExplanation
              campaign
              contact
              stage @include(if: $people)
              name @include(if: $people)
              phone @include(if: $people)
              email @include(if: $people)
              matches @include(if: $people) {
                decision
                confidence
                patient {
                  id
                  firstName
                  lastName
                }
              }
            }
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`);

const FILTERS: Array<{ value: LeadStatus; label: string }> = [
  { value: "ALL", label: "All" },
  { value: "UNMATCHED", label: "Unmatched" },
  { value: "NOT_SEEN", label: "Not seen yet" },
  { value: "REPEAT", label: "Repeat contacts" },
];

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  const search = new URL(args.request.url).searchParams;
  const seesPeople = page.practice.role === "admin" || page.practice.role === "analyst";
  // Whether people came in for care is about patients: the pipeline filter is for analysts and admins.
  const status = FILTERS.filter((f) => seesPeople || f.value !== "NOT_SEEN").find((f) => f.value === search.get("status"))?.value ?? "ALL";
  // One channel's leads, in the drill-down's days, when the list came from a channel's drill-down.
  const channel = CHANNELS.find((c) => c.value === search.get("channel")) ?? null;
  const days = daysFromSearch(search, page.practice.timeZone);
  const after = search.get("after");
  const data = await loadQuery(args, LeadsQuery, {
    id: page.practice.gid,
    status,
    channel: (channel?.value ?? null) as Channel | null,
    from: days?.fromInstant ?? null,
    to: days?.toInstant ?? null,
    after,
    first: PAGE_SIZE,
    people: seesPeople,
  });
  const leads = data.node && "leads" in data.node ? data.node.leads : { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  return { ...page, status, channel, days, after, seesPeople, leads: leads.edges.map((e) => e.node), pageInfo: leads.pageInfo };
}

/** `?from=…&to=…`: whole days in the practice's zone, both needed, in order; anything else means every day. */
function daysFromSearch(search: URLSearchParams, timeZone: string) {
  const [from, to] = [search.get("from"), search.get("to")];
  if (!from || !to || from > to) return null;
  const [fromInstant, toInstant] = [startOfDay(from, timeZone), startOfDay(nextDay(to), timeZone)];
  return fromInstant && toInstant ? { from, to, fromInstant: fromInstant.toISOString(), toInstant: toInstant.toISOString() } : null;
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Leads", data?.practice.name);

export default function LeadsPage() {
  const { practice, status, channel, days, after, seesPeople, leads, pageInfo } = useLoaderData<typeof loader>();
  const listUrl = (changes: { status?: LeadStatus; channel?: string | null; days?: null; after?: string }) => {
    const params = new URLSearchParams({ status: changes.status ?? status });
    const keptChannel = changes.channel === undefined ? channel?.value : changes.channel;
    if (keptChannel) params.set("channel", keptChannel);
    if (days && changes.days !== null) {
      params.set("from", days.from);
      params.set("to", days.to);
    }
    if (changes.after) params.set("after", changes.after);
    return `?${params}`;
  };
  return (
    <>
      <Breadcrumbs items={[{ label: practice.agency.name, to: paths.agency(practice.agency.id) }, { label: practice.name, to: paths.practice(practice.agency.id, practice.id) }, { label: "Leads" }]} />
      <PageHeader
        eyebrow="Marketing"
        title={channel ? `Leads · ${channel.label}` : "Leads"}
        description="Every form, call and chat, newest first, with its channel and whether it is a person's first contact or a repeat."
      />
      <nav aria-label="Lead filters" className="mb-4 flex flex-wrap gap-2">
        {FILTERS.filter((f) => seesPeople || f.value !== "NOT_SEEN").map((f) => (
          <Link key={f.value} to={listUrl({ status: f.value })} aria-current={status === f.value ? "page" : undefined} className={buttonClass(status === f.value ? "primary" : "secondary", "sm")}>
            {f.label}
          </Link>
        ))}
        {channel ? (
          <Link to={listUrl({ channel: null })} className={buttonClass("secondary", "sm")}>
            All channels
          </Link>
        ) : null}
        {days ? (
          <Link to={listUrl({ days: null })} className={buttonClass("secondary", "sm")}>
            All dates, not just {describeRange(days.from, days.to)}
          </Link>
        ) : null}
      </nav>
      {leads.length === 0 ? (
        <EmptyState title={status === "UNMATCHED" ? "Every lead is matched" : "No leads yet"}>
          <p>{status === "ALL" ? "Connect a lead source under Integrations; leads appear here as they arrive." : "Nothing matches this filter."}</p>
        </EmptyState>
      ) : (
        <Card
          actions={
            // Viewers' file leaves out who got in touch and whom matching linked, as this table does.
            <a href={exportUrl(practice.id, "leads", { status, channel: channel ? channel.value.toLowerCase().replace(/_/g, "-") : null, from: days?.from ?? null, to: days?.to ?? null })} className={buttonClass("secondary", "sm")} download>
              Export CSV
            </a>
          }
        >
          <TableFrame label="Leads">
            <thead className="bg-slate-50 text-left">
              <tr>
                <th scope="col" className={th}>When</th>
                <th scope="col" className={th}>Channel</th>
                <th scope="col" className={th}>Contact</th>
                {seesPeople ? <th scope="col" className={th}>Stage</th> : null}
                {seesPeople ? (
                  <>
                    <th scope="col" className={th}>Who</th>
                    <th scope="col" className={th}>Matched to</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 bg-white">
              {leads.map((lead) => (
                <tr key={lead.id}>
                  <th scope="row" className={cx(td, "text-left font-normal")}>
                    <span className="block whitespace-nowrap">{formatDateTime(lead.occurredAt, practice.timeZone)}</span>
                    <span className="block text-xs text-slate-600">{lead.kind}</span>
                  </th>
                  <td className={td} title={lead.channelExplanation ?? undefined}>
                    <span className="block">{lead.channelDisplayName ?? "Classifying…"}</span>
                    {lead.campaign ? <span className="block text-xs text-slate-600">{lead.campaign}</span> : null}
                  </td>
                  <td className={cx(td, "whitespace-nowrap")}>{lead.contact ? <Badge tone={lead.contact === "FIRST_TIME" ? "indigo" : "neutral"}>{lead.contact === "FIRST_TIME" ? "First time" : "Repeat"}</Badge> : "—"}</td>
                  {seesPeople ? (
                    <td className={cx(td, "whitespace-nowrap")}>
                      {lead.stage ? <StageBadge stage={lead.stage} /> : "—"}
                    </td>
                  ) : null}
                  {seesPeople ? (
                    <>
                      <td className={td}>
                        <span className="block">{lead.name || "No name"}</span>
                        {lead.phone ? <span className="block text-xs text-slate-600">{lead.phone}</span> : null}
                        {lead.email ? <span className="block break-all text-xs text-slate-600">{lead.email}</span> : null}
                      </td>
                      <td className={td}>
                        {lead.matches?.length ? (
                          <ul className="space-y-1">
                            {lead.matches.map((m) =>
                              m.patient ? (
                                <li key={m.patient.id}>
                                  <Link to={paths.patient(practice.agency.id, practice.id, fromGlobalId(m.patient.id))} className="text-indigo-700 hover:underline">
                                    {[m.patient.firstName, m.patient.lastName].filter(Boolean).join(" ") || "Unnamed chart"}
                                  </Link>{" "}
                                  <span className="text-xs text-slate-600">{m.decision === "LINK" ? formatPercent(m.confidence) : "review"}</span>
                                </li>
                              ) : null,
                            )}
                          </ul>
                        ) : (
                          <span className="text-slate-500">Nobody</span>
                        )}
                      </td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </TableFrame>
          <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
            {after ? (
              <Link to={listUrl({})} className={buttonClass("secondary", "sm")}>
                Newest
              </Link>
            ) : (
              <span />
            )}
            {pageInfo.hasNextPage && pageInfo.endCursor ? (
              <Link to={listUrl({ after: pageInfo.endCursor })} className={buttonClass("secondary", "sm")}>
                Older
              </Link>
            ) : null}
          </nav>
        </Card>
      )}
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
