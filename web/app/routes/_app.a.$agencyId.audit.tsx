import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { AuditLog } from "~/components/audit-log";
import { RouteErrorBoundary } from "~/components/route-error";
import { PageHeader } from "~/components/ui";
import { loadAuditEvents } from "~/lib/audit.server";
import { pageTitle, tenantNames } from "~/lib/meta";
import { agencyExportUrl } from "~/lib/paths";
import { useTenant } from "~/lib/shell";
import { tenantGlobalId } from "~/lib/tenant.server";

export async function loader(args: LoaderFunctionArgs) {
  return loadAuditEvents(args, { agencyId: tenantGlobalId(args.params, "agencyId") }, "UTC");
}

export const meta: MetaFunction<typeof loader> = ({ matches, params }) => pageTitle("Audit log", tenantNames(matches, params).agency);

export default function AgencyAuditPage() {
  const page = useLoaderData<typeof loader>();
  const params = useParams();
  const { agency } = useTenant(params);
  return (
    <>
      <PageHeader
        eyebrow={agency?.name}
        title="Audit log"
        description="Changes to the agency itself: its settings, members and invitations. Each practice has its own audit log."
      />
      <AuditLog page={page} showPractice={false} exportHref={(filters) => agencyExportUrl(params.agencyId!, "audit-log", filters)} />
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
