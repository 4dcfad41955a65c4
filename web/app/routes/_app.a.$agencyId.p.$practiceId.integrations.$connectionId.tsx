import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useClient } from "urql";
import { ConnectionSettingsForm } from "~/components/connection-settings-form";
import {
  ConnectionActions,
  ConnectionStatusLine,
  LastSynced,
  ScheduleText,
  SyncActivity,
  SyncIntervalForm,
  flattenConnection,
  hasStreams,
  syncInProgress,
  type KnownNode,
  type SyncRequest,
} from "~/components/connections";
import { Breadcrumbs } from "~/components/practice-dashboard";
import { RouteErrorBoundary } from "~/components/route-error";
import { SyncRunsTable } from "~/components/sync-runs";
import { Alert, Card, PageHeader, buttonClass } from "~/components/ui";
import { WebhooksCard } from "~/components/webhooks";
import { loadQuery, notFound } from "~/lib/graphql.server";
import { fromGlobalId, isId, toGlobalId } from "~/lib/ids";
import { parseSettingsJson } from "~/lib/integrations";
import { ConnectionPageQuery, ConnectionRunsQuery } from "~/lib/integrations-documents";
import { pageTitle } from "~/lib/meta";
import { exportUrl, paths } from "~/lib/paths";
import { loadPractice } from "~/lib/practice.server";
import { useLive, useNow } from "~/lib/use-live";

const RUNS_PAGE = 20;
const RUNS_MAX = 200;
const NOT_FOUND = "We couldn't find that connection in this practice.";

export async function loader(args: LoaderFunctionArgs) {
  const { practice } = await loadPractice(args, args.params);
  if (!isId(args.params.connectionId)) notFound(NOT_FOUND);
  const isAdmin = practice.role === "admin";
  // `?runs=40` shows more of the history: a real link, so it survives reloads and revalidation.
  const requested = Number(new URL(args.request.url).searchParams.get("runs"));
  const runs = Number.isInteger(requested) && requested > RUNS_PAGE ? Math.min(requested, RUNS_MAX) : RUNS_PAGE;
  const data = await loadQuery(args, ConnectionPageQuery, { id: toGlobalId("Connection", args.params.connectionId), admin: isAdmin, runs });
  const node = (data.node && "connectorId" in data.node ? data.node : notFound(NOT_FOUND)) as KnownNode<typeof data.node>;
  if (node.practice.id !== practice.gid) notFound(NOT_FOUND);
  return {
    practice,
    isAdmin,
    connector: data.connectors.find((c) => c.id === node.connectorId) ?? null,
    connection: flattenConnection(node),
    settings: isAdmin ? parseSettingsJson(node.settings) : null,
    hasMoreRuns: node.runs.pageInfo.hasNextPage,
    runsPageSize: runs,
    now: new Date().toISOString(),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle(data?.connection.displayName, "Integrations", data?.practice.name);

export default function ConnectionPage() {
  const loaded = useLoaderData<typeof loader>();
  const { practice, connector, isAdmin, settings, runsPageSize } = loaded;
  const [searchParams] = useSearchParams();
  const client = useClient();
  const [request, setRequest] = useState<SyncRequest | null>(null);
  const live = useLive(
    loaded.connection,
    async () => {
      const result = await client
        .query(ConnectionRunsQuery, { id: loaded.connection.id, runs: runsPageSize }, { requestPolicy: "network-only" })
        .toPromise();
      const node = result.data?.node;
      return node && "connectorId" in node ? flattenConnection(node as KnownNode<typeof node>) : null;
    },
    (connection) => syncInProgress(connection, request),
  );
  const connection = live.data;
  const now = useNow(loaded.now, live.active ? 1_000 : 15_000);
  const integrations = paths.integrations(practice.agency.id, practice.id);

  return (
    <>
      <Breadcrumbs items={[{ label: "Integrations", to: integrations }, { label: connection.displayName }]} />
      <PageHeader
        eyebrow={practice.name}
        title={connection.displayName}
        description={[
          connector?.displayName ?? connection.connectorId,
          connector ? (connector.kind === "pms" ? "Practice management system" : "Lead source") : null,
          connection.location ? connection.location.name : "Whole practice",
        ]
          .filter(Boolean)
          .join(" · ")}
      />
      <div className="space-y-6">
        {searchParams.get("connected") ? (
          <Alert tone="success" title={`${connector?.displayName ?? "The integration"} is connected`}>
            Test the connection to check the address and keys, then sync now or wait for the schedule.
          </Alert>
        ) : null}

        <Card title="Status">
          <div className="space-y-4">
            <ConnectionStatusLine connection={connection} />
            <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
              <LastSynced connection={connection} now={now} timeZone={practice.timeZone} />
              {isAdmin || !hasStreams(connector) ? null : <ScheduleText connection={connection} />}
            </p>
            <SyncActivity connection={connection} request={request} />
            {isAdmin ? (
              <div className="flex flex-wrap items-start justify-between gap-4">
                <ConnectionActions connection={connection} connector={connector ?? undefined} runsPageSize={runsPageSize} onSyncRequested={setRequest} />
                {hasStreams(connector) ? <SyncIntervalForm key={connection.syncIntervalMinutes} connection={connection} /> : null}
              </div>
            ) : (
              <p className="text-sm text-slate-600">Practice admins test, sync and change this connection.</p>
            )}
          </div>
        </Card>

        <Card
          title="Run history"
          description="Newest first. Each data set syncs in turn; a sync that is running updates here as it goes."
          actions={
            connection.runs.length ? (
              <a href={exportUrl(practice.id, "sync-runs", { connection: fromGlobalId(connection.id) })} className={buttonClass("secondary", "sm")} download>
                Export CSV
              </a>
            ) : null
          }
        >
          {connection.runs.length === 0 ? (
            <p className="text-sm text-slate-600">
              {hasStreams(connector) ? "No syncs yet." : `${connector?.displayName ?? "This source"} pushes its data through webhooks: there are no syncs to list.`}
            </p>
          ) : (
            <SyncRunsTable runs={connection.runs} now={now} timeZone={practice.timeZone} />
          )}
          <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
            <span>Times in {practice.timeZone.replace(/_/g, " ")}; hover a time for the exact moment.</span>
            {loaded.hasMoreRuns ? (
              <Link to={`?runs=${Math.min(runsPageSize + RUNS_PAGE, RUNS_MAX)}`} preventScrollReset className={buttonClass("secondary", "sm")}>
                Show older runs
              </Link>
            ) : null}
          </div>
        </Card>

        {connection.webhooks.length ? (
          <WebhooksCard connectionId={connection.id} webhooks={connection.webhooks} sourceName={connector?.displayName ?? connection.displayName} isAdmin={isAdmin} />
        ) : null}

        {isAdmin && settings && connector ? (
          <Card title="Settings" description="Secrets are stored encrypted and never shown again; leave a key blank to keep it.">
            <ConnectionSettingsForm
              connector={connector}
              practiceGid={practice.gid}
              practiceTimeZone={practice.timeZone}
              existing={{ id: connection.id, displayName: loaded.connection.displayName, settings }}
            />
          </Card>
        ) : null}
      </div>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
