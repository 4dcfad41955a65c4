import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { graphql } from "~/gql";
import type { AttributedPatientOrder, Channel, ReportChannel } from "~/gql/graphql";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { ReportControls } from "~/components/report-controls";
import { RouteErrorBoundary } from "~/components/route-error";
import { StageBadge } from "~/components/stage-badge";
import { Card, EmptyState, PageHeader, TableFrame, buttonClass, cx, tdCompact as td, thCompact as th } from "~/components/ui";
import { formatDate, formatDateTime, nextDay, startOfDay } from "~/lib/format";
import { loadQuery, notFound } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { formatMoney, formatPercent } from "~/lib/metrics";
import { exportUrl, paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";
import { ATTRIBUTION_MODELS, CHANNELS, describeRange, modelLabel, rangeFromSearch } from "~/lib/report-range";

const PAGE_SIZE = 25;

const ChannelPatientsQuery = graphql(`
  query ChannelPatients(
    $id: ID!
    $channel: ReportChannel!
    $from: String!
    $to: String!
    $model: AttributionModel
    $locationId: ID
    $order: AttributedPatientOrder
    $descending: Boolean
    $first: Int
    $offset: Int
  ) {
    node(id: $id) {
      ... on Practice {
        id
        attributionSettings {
          defaultModel
        }
        attributedPatients(
          channel: $channel
          from: $from
          to: $to
          model: $model
          locationId: $locationId
          orderBy: $order
          descending: $descending
          first: $first
          offset: $offset
        ) {
          total
          items {
            firstVisitOn
            firstContactOn
            share
            campaigns
            adGroups
            keywords
            productionCents
            stage
            confidence
            patient {
              id
              firstName
              lastName
            }
          }
        }
      }
    }
  }
`);

/** The channel's new leads in the range that no patient has come in from yet: its pipeline. */
const ChannelPipelineQuery = graphql(`
  query ChannelPipeline($id: ID!, $channel: Channel!, $from: DateTime!, $to: DateTime!, $first: Int, $people: Boolean!) {
    node(id: $id) {
      ... on Practice {
        id
        leads(filter: { channel: $channel, from: $from, to: $to, status: NOT_SEEN }, first: $first) {
          edges {
            node {
              id
              occurredAt
              kind
              campaign
              adGroup
              keyword
              stage
              name @include(if: $people)
            }
          }
          pageInfo {
            hasNextPage
          }
        }
      }
    }
  }
`);

const PIPELINE_SIZE = 10;

const ORDERS: Array<{ value: AttributedPatientOrder; label: string }> = [
  { value: "PRODUCTION", label: "Production" },
  { value: "FIRST_CONTACT", label: "First contact" },
  { value: "FIRST_VISIT", label: "First visit" },
  { value: "SHARE", label: "Credit" },
  { value: "STAGE", label: "Stage" },
  { value: "CONFIDENCE", label: "Match" },
];

/** `paid-search` in the URL is PAID_SEARCH in the API. */
const channelOf = (slug: string) => slug.toUpperCase().replace(/-/g, "_") as ReportChannel;

export async function loader(args: LoaderFunctionArgs) {
  const page = await loadPractice(args, args.params);
  const slug = args.params.channel ?? "";
  if (!/^[a-z-]{3,40}$/.test(slug)) notFound("There is no such channel.");
  const search = new URL(args.request.url).searchParams;
  const range = rangeFromSearch(search, page.practice.timeZone);
  const model = ATTRIBUTION_MODELS.find((m) => m.value === search.get("model"))?.value ?? null;
  const order = ORDERS.find((o) => o.value === search.get("order"))?.value ?? "PRODUCTION";
  const descending = search.get("dir") !== "asc";
  const offset = Math.max(0, Number(search.get("offset")) || 0);
  // One location's patients when the drill-down came from its dashboard.
  const location = page.practice.locations.find((l) => l.id === search.get("location")) ?? null;
  const data = await loadQuery(args, ChannelPatientsQuery, {
    locationId: location?.gid ?? null,
    id: page.practice.gid,
    channel: channelOf(slug),
    from: range.from,
    to: range.to,
    model,
    order,
    descending,
    first: PAGE_SIZE,
    offset,
  });
  const node = data.node && "attributedPatients" in data.node ? data.node : notFound("That practice does not exist, or is not yours to see.");
  return {
    ...page,
    slug,
    range,
    location,
    model: model ?? node.attributionSettings.defaultModel,
    order,
    descending,
    offset,
    patients: node.attributedPatients,
    pipeline: await loadPipeline(args, page, slug, range),
  };
}

/** The channel's leads in the range not seen yet, with the link to all of them; none for the unattributed. */
async function loadPipeline(args: LoaderFunctionArgs, page: Awaited<ReturnType<typeof loadPractice>>, slug: string, range: { from: string; to: string }) {
  if (slug === "unattributed") return null;
  const from = startOfDay(range.from, page.practice.timeZone);
  const to = startOfDay(nextDay(range.to), page.practice.timeZone);
  if (!from || !to) return null;
  const seesPeople = page.practice.role === "admin" || page.practice.role === "analyst";
  const data = await loadQuery(args, ChannelPipelineQuery, {
    id: page.practice.gid,
    channel: channelOf(slug) as Channel,
    from: from.toISOString(),
    to: to.toISOString(),
    first: PIPELINE_SIZE,
    people: seesPeople,
  });
  const leads = data.node && "leads" in data.node ? data.node.leads : null;
  return leads ? { items: leads.edges.map((e) => e.node), more: leads.pageInfo.hasNextPage, seesPeople } : null;
}

/** The channel's name as the dashboard writes it ("Referral – Professional"). */
const channelName = (slug: string) =>
  slug === "unattributed" ? "Unattributed" : (CHANNELS.find((c) => c.value === channelOf(slug))?.label ?? slug.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase()));

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data ? channelName(data.slug) : "Channel", data?.practice.name);

export default function ChannelDrillDown() {
  const { practice, slug, range, location, model, order, descending, offset, patients, pipeline } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `?${next}`;
  };
  const sortHeader = (value: AttributedPatientOrder, label: string) => {
    const active = order === value;
    return (
      <th scope="col" className={cx(th, "text-right")} aria-sort={active ? (descending ? "descending" : "ascending") : "none"}>
        <Link to={withParams({ order: value, dir: active && descending ? "asc" : null, offset: null })} className="hover:text-slate-900" preventScrollReset>
          {label} <span aria-hidden="true">{active ? (descending ? "↓" : "↑") : ""}</span>
        </Link>
      </th>
    );
  };
  return (
    <>
      <Breadcrumbs
        items={[
          { label: practice.agency.name, to: paths.agency(practice.agency.id) },
          { label: practice.name, to: paths.practice(practice.agency.id, practice.id) + withParams({ order: null, dir: null, offset: null }) },
          { label: channelName(slug) },
        ]}
      />
      <PageHeader
        eyebrow="Channel"
        title={channelName(slug)}
        description={`New patients${location ? ` of ${location.name}` : ""} with a first visit ${describeRange(range.from, range.to)} whom ${slug === "unattributed" ? "no recorded touch explains" : "this channel touched before it"}, credited under ${modelLabel(model)}.`}
      />
      <div className="mb-6">
        <ReportControls range={range} model={model} />
      </div>
      {patients.total === 0 ? (
        <EmptyState title="No new patients from this channel in the range">
          <p>Choose a longer range, or another channel from the dashboard.</p>
        </EmptyState>
      ) : (
        <Card
          title={`${patients.total} new ${patients.total === 1 ? "patient" : "patients"}`}
          actions={
            <a href={exportUrl(practice.id, "patients", { ...range, model, channel: slug, location: location?.id ?? null })} className={buttonClass("secondary", "sm")} download>
              Download CSV
            </a>
          }
        >
          <TableFrame label="Patients">
            <thead className="bg-slate-50 text-left">
              <tr>
                <th scope="col" className={th}>Patient</th>
                {sortHeader("FIRST_CONTACT", "First contact")}
                {sortHeader("FIRST_VISIT", "First visit")}
                <th scope="col" className={th}>Campaign / ad group / keyword</th>
                {sortHeader("PRODUCTION", "Production")}
                {sortHeader("STAGE", "Stage")}
                {sortHeader("SHARE", "Credit")}
                {sortHeader("CONFIDENCE", "Match")}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 bg-white">
              {patients.items.map((item) => {
                const name = item.patient ? [item.patient.firstName, item.patient.lastName].filter(Boolean).join(" ") || "Unnamed chart" : "Chart no longer available";
                return (
                  <tr key={item.patient?.id ?? `${item.firstVisitOn}-${name}`}>
                    <th scope="row" className={cx(td, "min-w-32 text-left font-medium")}>
                      {item.patient ? (
                        <Link to={paths.patient(practice.agency.id, practice.id, fromGlobalId(item.patient.id))} className="text-indigo-700 hover:underline">
                          {name}
                        </Link>
                      ) : (
                        name
                      )}
                    </th>
                    <td className={cx(td, "whitespace-nowrap text-right tabular-nums")}>{item.firstContactOn ? formatDate(item.firstContactOn) : "—"}</td>
                    <td className={cx(td, "whitespace-nowrap text-right tabular-nums")}>{formatDate(item.firstVisitOn)}</td>
                    <td className={td}>{[item.campaigns.join(", "), item.adGroups.join(", "), item.keywords.join(", ")].filter(Boolean).join(" › ") || "—"}</td>
                    <td className={cx(td, "text-right tabular-nums")}>{formatMoney(item.productionCents)}</td>
                    <td className={td}>
                      <StageBadge stage={item.stage} />
                    </td>
                    <td className={cx(td, "text-right tabular-nums")}>{formatPercent(item.share)}</td>
                    <td className={cx(td, "text-right tabular-nums")}>{item.confidence === null ? "—" : formatPercent(item.confidence)}</td>
                  </tr>
                );
              })}
            </tbody>
          </TableFrame>
          <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
            <span className="text-slate-600">
              {offset + 1}–{Math.min(offset + patients.items.length, patients.total)} of {patients.total}
            </span>
            <span className="flex gap-2">
              {offset > 0 ? (
                <Link to={withParams({ offset: String(Math.max(0, offset - PAGE_SIZE)) })} className={buttonClass("secondary", "sm")}>
                  Previous
                </Link>
              ) : null}
              {offset + PAGE_SIZE < patients.total ? (
                <Link to={withParams({ offset: String(offset + PAGE_SIZE) })} className={buttonClass("secondary", "sm")}>
                  Next
                </Link>
              ) : null}
            </span>
          </nav>
        </Card>
      )}
      {pipeline && pipeline.items.length > 0 ? (
          <Card
            className="mt-6"
            title="Not seen yet"
            description={`New leads from this channel ${describeRange(range.from, range.to)} that no patient has come in from yet: still leads, or a chart opened for a booking that has not happened.`}
            actions={
              <Link
                to={`${paths.leads(practice.agency.id, practice.id)}?${new URLSearchParams({ status: "NOT_SEEN", channel: channelOf(slug), from: range.from, to: range.to })}`}
                className={buttonClass("secondary", "sm")}
              >
                {pipeline.more ? "See them all" : "Open in Leads"}
              </Link>
            }
          >
            <TableFrame label="Not seen yet">
              <thead className="bg-slate-50 text-left">
                <tr>
                  <th scope="col" className={th}>First contact</th>
                  {pipeline.seesPeople ? <th scope="col" className={th}>Who</th> : null}
                  <th scope="col" className={th}>Campaign / ad group / keyword</th>
                  <th scope="col" className={th}>Stage</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 bg-white">
                {pipeline.items.map((lead) => (
                  <tr key={lead.id}>
                    <th scope="row" className={cx(td, "text-left font-normal")}>
                      <span className="block whitespace-nowrap tabular-nums">{formatDateTime(lead.occurredAt, practice.timeZone)}</span>
                      <span className="block text-xs text-slate-600">{lead.kind}</span>
                    </th>
                    {pipeline.seesPeople ? <td className={td}>{lead.name || "No name"}</td> : null}
                    <td className={td}>{[lead.campaign, lead.adGroup, lead.keyword].filter(Boolean).join(" › ") || "—"}</td>
                    <td className={td}>
                      <StageBadge stage={lead.stage} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableFrame>
          </Card>
      ) : null}
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
