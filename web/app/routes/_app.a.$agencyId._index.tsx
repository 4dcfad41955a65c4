import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { graphql } from "~/gql";
import { PlugIcon } from "~/components/icons";
import { RouteErrorBoundary } from "~/components/route-error";
import { Badge, EmptyState, PageHeader, buttonClass } from "~/components/ui";
import { roleLabel } from "~/lib/format";
import { loadQuery } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { useShell } from "~/lib/shell";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const AgencyOverviewQuery = graphql(`
  query AgencyOverview($id: ID!) {
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
      }
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const data = await loadQuery(args, AgencyOverviewQuery, { id: tenantGlobalId(args.params, "agencyId") });
  const agency = data.node && "name" in data.node ? data.node : tenantNotFound("agencyId");
  return {
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
  const { agency } = useLoaderData<typeof loader>();
  const shell = useShell();
  const isAdmin = shell.agencies.find((a) => a.id === agency.id)?.role === "ADMIN";

  return (
    <>
      <PageHeader eyebrow="Agency overview" title={agency.name} description="How every practice's marketing turns into patients and revenue." />
      <div className="space-y-8">
        <EmptyState icon={<PlugIcon />} title="No attribution data yet">
          <p>Connect Open Dental and your lead sources to see attribution here.</p>
          <p className="mt-2">
            Once data flows in, this page compares your practices side by side: new patients, production and cost per new patient by
            channel, and the return on each practice's ad spend.
          </p>
        </EmptyState>

        <section aria-labelledby="practices-heading">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="practices-heading" className="text-lg font-semibold text-slate-900">
              Practices
            </h2>
            {isAdmin ? (
              <Link to={`${paths.agencySettings(agency.id)}#practices`} className={buttonClass("secondary", "sm")}>
                Add a practice
              </Link>
            ) : null}
          </div>
          {agency.practices.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600">
              {isAdmin ? "This agency has no practices yet. Add the first one in the agency's settings." : "You don't have access to any practice of this agency."}
            </p>
          ) : (
            <ul className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {agency.practices.map((p) => (
                <li key={p.id}>
                  <Link
                    to={paths.practice(agency.id, p.id)}
                    className="block h-full rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 transition hover:ring-indigo-300"
                  >
                    <span className="block text-base font-semibold text-slate-900">{p.name}</span>
                    <span className="mt-1 block text-sm text-slate-600">{p.timeZone.replace(/_/g, " ")}</span>
                    <span className="mt-3 block">
                      <Badge tone="indigo">{roleLabel(p.role)}</Badge>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
