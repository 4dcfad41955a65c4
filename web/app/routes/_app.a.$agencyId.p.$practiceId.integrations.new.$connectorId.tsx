import { useState } from "react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { ConnectionSettingsForm, type CreatedConnection } from "~/components/connection-settings-form";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { Alert, Card, PageHeader } from "~/components/ui";
import { NewWebhookAddresses } from "~/components/webhooks";
import { loadQuery, notFound } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { humanize, kindLabel } from "~/lib/integrations";
import { ConnectorsQuery } from "~/lib/integrations-documents";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";

export async function loader(args: LoaderFunctionArgs) {
  const [{ practice }, { connectors }] = await Promise.all([loadPractice(args, args.params), loadQuery(args, ConnectorsQuery, {})]);
  // The API refuses anyone else; the page does not offer a form that would be refused.
  if (practice.role !== "admin") throw data("Only practice admins can connect integrations.", { status: 403 });
  const connector = connectors.find((c) => c.id === args.params.connectorId) ?? notFound("There is no such integration.");
  return { practice, connector };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  pageTitle(data ? `Connect ${data.connector.displayName}` : "Connect", data?.practice.name);

export default function NewConnectionPage() {
  const { practice, connector } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const comingSoon = connector.status === "coming-soon";
  // A connector that receives webhooks answers with their secret addresses, once: they are shown before moving on.
  const [created, setCreated] = useState<CreatedConnection | null>(null);
  const goToConnection = (id: string) => navigate(`${paths.connection(practice.agency.id, practice.id, fromGlobalId(id))}?connected=1`);
  return (
    <>
      <Breadcrumbs items={[{ label: "Integrations", to: paths.integrations(practice.agency.id, practice.id) }, { label: `Connect ${connector.displayName}` }]} />
      <PageHeader eyebrow={practice.name} title={`Connect ${connector.displayName}`} description={connector.description} />
      <div className="grid items-start gap-6 lg:grid-cols-[1fr_18rem]">
        <Card title="Settings">
          {comingSoon ? (
            <Alert tone="info" title="Coming soon">
              {connector.displayName} cannot be connected yet.
            </Alert>
          ) : created ? (
            <NewWebhookAddresses
              webhooks={created.webhooks}
              sourceName={connector.displayName}
              doneLabel={`I have copied ${created.webhooks.length === 1 ? "it" : "them"}: go to ${created.displayName}`}
              onDone={() => goToConnection(created.id)}
            />
          ) : (
            <ConnectionSettingsForm
              connector={connector}
              practiceGid={practice.gid}
              practiceTimeZone={practice.timeZone}
              locations={practice.locations}
              onCreated={(connection) => (connection.webhooks.some((w) => w.url) ? setCreated(connection) : goToConnection(connection.id))}
            />
          )}
        </Card>
        <Card title="What Sourceline reads">
          <ul className="space-y-3 text-sm">
            {connector.streams.map((stream) => (
              <li key={stream.name}>
                <p className="font-medium text-slate-900">{humanize(stream.name)}</p>
                <p className="text-slate-600">{stream.description}</p>
                {stream.emits.length ? <p className="text-xs text-slate-600">Becomes: {stream.emits.map(kindLabel).join(", ")}</p> : null}
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
