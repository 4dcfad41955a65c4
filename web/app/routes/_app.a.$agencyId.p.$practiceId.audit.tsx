import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { graphql } from "~/gql";
import { AuditLog } from "~/components/audit-log";
import { RouteErrorBoundary } from "~/components/route-error";
import { PageHeader } from "~/components/ui";
import { loadAuditEvents } from "~/lib/audit.server";
import { loadQuery } from "~/lib/graphql.server";
import { pageTitle, tenantNames } from "~/lib/meta";
import { exportUrl } from "~/lib/paths";
import { useTenant } from "~/lib/shell";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";

const PracticeTimeZoneQuery = graphql(`
  query PracticeTimeZone($id: ID!) {
    node(id: $id) {
      ... on Practice {
        id
        timeZone
      }
    }
  }
`);

export async function loader(args: LoaderFunctionArgs) {
  const practiceId = tenantGlobalId(args.params, "practiceId");
  // Date filters are whole days in the practice's own time zone.
  const data = await loadQuery(args, PracticeTimeZoneQuery, { id: practiceId });
  const practice = data.node && "timeZone" in data.node ? data.node : tenantNotFound("practiceId");
  return loadAuditEvents(args, { practiceId }, practice.timeZone);
}

export const meta: MetaFunction<typeof loader> = ({ matches, params }) => pageTitle("Audit log", tenantNames(matches, params).practice);

export default function PracticeAuditPage() {
  const page = useLoaderData<typeof loader>();
  const params = useParams();
  const { practice } = useTenant(params);
  return (
    <>
      <PageHeader eyebrow={practice?.name} title="Audit log" description="Every sign-in, change and read of sensitive data in this practice." />
      <AuditLog page={page} showPractice={false} exportHref={(filters) => exportUrl(params.practiceId!, "audit-log", filters)} />
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
