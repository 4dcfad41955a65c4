import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { graphql } from "~/gql";
import { PlugIcon } from "~/components/icons";
import { RouteErrorBoundary } from "~/components/route-error";
import { AgencyConsole, type ConsoleRow } from "~/components/agency-console";
import { ReportControls } from "~/components/report-controls";
import { Card, EmptyState, PageHeader, buttonClass } from "~/components/ui";
import { loadQuery } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { agencyExportUrl, paths } from "~/lib/paths";
import { ATTRIBUTION_MODELS, rangeFromSearch } from "~/lib/report-range";
import { useShell } from "~/lib/shell";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const AgencyOverviewQuery = graphql(`
  query AgencyOverview($id: ID!, $from: String!, $to: String!, $model: AttributionModel) {
    node(id: $id) {
      ... on Agency {
        id
        name
        practices(first: 100) {
          edges {
            node {
              id
              name
              timeZone
              viewerRole
            }
          }
        }
        practicePerformance(from: $from, to: $to, model: $model) {
          practice {
            id
            name
          }
          figures {
            leads
            creditedPatients
            productionCents
            spendCents
            costPerPatientCents
            returnOnSpend
          }
          matchRate
          syncHealth
          trend
        }
      }
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const search = new URL(args.request.url).searchParams;
  // An agency spans time zones: its ranges are read on UTC's calendar, each practice's days in its own zone.
  const range = rangeFromSearch(search, "UTC");
  const model = ATTRIBUTION_MODELS.find((m) => m.value === search.get("model"))?.value ?? null;
  const data = await loadQuery(args, AgencyOverviewQuery, { id: tenantGlobalId(args.params, "agencyId"), from: range.from, to: range.to, model });
  const agency = data.node && "name" in data.node ? data.node : tenantNotFound("agencyId");
  const rows: ConsoleRow[] = agency.practicePerformance.map((row) => ({
    practiceId: fromGlobalId(row.practice.id),
    name: row.practice.name,
    leads: row.figures.leads,
    newPatients: row.figures.creditedPatients,
    productionCents: row.figures.productionCents,
    spendCents: row.figures.spendCents,
    costPerPatientCents: row.figures.costPerPatientCents,
    returnOnSpend: row.figures.returnOnSpend,
    matchRate: row.matchRate ?? null,
    syncHealth: row.syncHealth,
    trend: row.trend,
  }));
  return {
    range,
    model,
    rows,
    agency: {
      id: fromGlobalId(agency.id),
      name: agency.name,
      practices: agency.practices.edges.map(({ node }) => ({
        id: fromGlobalId(node.id),
        name: node.name,
        timeZone: node.timeZone,
        role: node.viewerRole,
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Overview", data?.agency.name);

export default function AgencyOverviewPage() {
  const { agency, rows, range, model } = useLoaderData<typeof loader>();
  const shell = useShell();
  const isAdmin = shell.agencies.find((a) => a.id === agency.id)?.role === "ADMIN";
  const hasData = rows.some((r) => r.leads > 0 || r.newPatients > 0 || r.spendCents > 0);
  const query = `?${new URLSearchParams({ ...(range.preset === "custom" ? { range: "custom", from: range.from, to: range.to } : { range: range.preset }), ...(model ? { model } : {}) })}`;

  return (
    <>
      <PageHeader
        eyebrow="Agency overview"
        title={agency.name}
        description="How every practice's marketing turns into patients and revenue, side by side. Each practice's figures are under its own default attribution model unless you choose one."
      />
      <div className="space-y-6">
        <ReportControls range={range} model={model} eachPracticeDefault />
        {agency.practices.length === 0 ? (
          <EmptyState
            icon={<PlugIcon />}
            title="No practices yet"
            action={
              isAdmin ? (
                <Link to={`${paths.agencySettings(agency.id)}#practices`} className={buttonClass("secondary")}>
                  Add a practice
                </Link>
              ) : null
            }
          >
            <p>{isAdmin ? "Add the agency's first practice, then connect its Open Dental and lead sources." : "You don't have access to any practice of this agency."}</p>
          </EmptyState>
        ) : (
          <Card
            title="Practices"
            description={hasData ? undefined : "No leads, new patients or spend in this range yet: connect Open Dental and the lead sources under each practice's Integrations."}
            actions={
              <div className="flex gap-2">
                <a href={agencyExportUrl(agency.id, "practices", { from: range.from, to: range.to, model })} className={buttonClass("secondary", "sm")} download>
                  Export CSV
                </a>
                {isAdmin ? (
                  <Link to={`${paths.agencySettings(agency.id)}#practices`} className={buttonClass("secondary", "sm")}>
                    Add a practice
                  </Link>
                ) : null}
              </div>
            }
          >
            <AgencyConsole agencyId={agency.id} rows={rows} query={query} />
          </Card>
        )}
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
