import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useClient } from "urql";
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
  type Connector,
  type LiveConnection,
  type SyncRequest,
} from "~/components/connections";
import { PlugIcon } from "~/components/icons";
import { RouteErrorBoundary } from "~/components/route-error";
import { Badge, EmptyState, PageHeader, buttonClass } from "~/components/ui";
import { loadQuery } from "~/lib/graphql.server";
import { fromGlobalId } from "~/lib/ids";
import { CONNECTOR_KINDS, humanize } from "~/lib/integrations";
import { PracticeConnectionsQuery, PracticeIntegrationsQuery } from "~/lib/integrations-documents";
import { pageTitle } from "~/lib/meta";
import { paths } from "~/lib/paths";
import { loadPractice, type PracticePage } from "~/lib/practice.server";
import { tenantGlobalId, tenantNotFound } from "~/lib/tenant.server";
import { useLive, useNow } from "~/lib/use-live";

/** Runs read per connection: enough to see every stream of one sync (Open Dental has seven). */
const RUNS_PER_CONNECTION = 10;

export async function loader(args: LoaderFunctionArgs) {
  const [{ practice }, data] = await Promise.all([
    loadPractice(args, args.params),
    loadQuery(args, PracticeIntegrationsQuery, { id: tenantGlobalId(args.params, "practiceId"), runs: RUNS_PER_CONNECTION }),
  ]);
  const node = data.node && "connections" in data.node ? data.node : tenantNotFound("practiceId");
  return {
    practice,
    connectors: data.connectors,
    connections: node.connections.map(flattenConnection),
    now: new Date().toISOString(),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => pageTitle("Integrations", data?.practice.name);

type Practice = PracticePage["practice"];

export default function IntegrationsPage() {
  const loaded = useLoaderData<typeof loader>();
  const { practice, connectors } = loaded;
  const client = useClient();
  const [requests, setRequests] = useState<Record<string, SyncRequest>>({});
  const live = useLive(
    loaded.connections,
    async () => {
      const result = await client
        .query(PracticeConnectionsQuery, { id: practice.gid, runs: RUNS_PER_CONNECTION }, { requestPolicy: "network-only" })
        .toPromise();
      const node = result.data?.node;
      return node && "connections" in node ? node.connections.map(flattenConnection) : null;
    },
    (connections) => connections.some((c) => syncInProgress(c, requests[c.id])),
  );
  const now = useNow(loaded.now, live.active ? 1_000 : 15_000);
  const isAdmin = practice.role === "admin";

  return (
    <>
      <PageHeader
        eyebrow={practice.name}
        title="Integrations"
        description="The systems Sourceline reads for this practice: its practice management system and its lead sources. Each connection syncs in the background on its schedule."
      />
      <div className="space-y-10">
        <section aria-labelledby="connections-heading">
          <h2 id="connections-heading" className="text-lg font-semibold text-slate-900">
            Connections
          </h2>
          {live.data.length === 0 ? (
            <div className="mt-3">
              <EmptyState icon={<PlugIcon />} title="Nothing is connected yet">
                {isAdmin
                  ? "Connect the practice management system first (below): patients, appointments and production come from it. Then add lead sources."
                  : "A practice admin connects the practice management system and lead sources. Their status and sync history will show here."}
              </EmptyState>
            </div>
          ) : (
            <ul className="mt-3 space-y-4">
              {live.data.map((connection) => (
                <li key={connection.id}>
                  <ConnectionCard
                    connection={connection}
                    connector={connectors.find((c) => c.id === connection.connectorId)}
                    practice={practice}
                    now={now}
                    isAdmin={isAdmin}
                    request={requests[connection.id]}
                    onSyncRequested={(request) => setRequests((all) => ({ ...all, [connection.id]: request }))}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>

        <Catalogue connectors={connectors} practice={practice} isAdmin={isAdmin} />
      </div>
    </>
  );
}

function ConnectionCard({
  connection,
  connector,
  practice,
  now,
  isAdmin,
  request,
  onSyncRequested,
}: {
  connection: LiveConnection;
  connector: Connector | undefined;
  practice: Practice;
  now: number;
  isAdmin: boolean;
  request: SyncRequest | undefined;
  onSyncRequested: (request: SyncRequest) => void;
}) {
  const headingId = `connection-${connection.id}`;
  return (
    <article aria-labelledby={headingId} className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
        <div className="min-w-0">
          <h3 id={headingId} className="text-base font-semibold text-slate-900">
            <Link to={paths.connection(practice.agency.id, practice.id, fromGlobalId(connection.id))} className="hover:underline">
              {connection.displayName}
            </Link>
          </h3>
          <p className="mt-0.5 text-sm text-slate-600">
            {connector?.displayName ?? connection.connectorId}
            {connector ? ` · ${connector.kind === "pms" ? "Practice management system" : "Lead source"}` : null}
            {" · "}
            {connection.location ? connection.location.name : "Whole practice"}
          </p>
        </div>
        <ConnectionStatusLine connection={connection} />
      </div>
      <div className="space-y-4 px-5 py-4">
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-700">
          <LastSynced connection={connection} now={now} timeZone={practice.timeZone} />
          {isAdmin || !hasStreams(connector) ? null : <ScheduleText connection={connection} />}
        </p>
        <SyncActivity connection={connection} request={request} showLastFailure />
        {isAdmin ? (
          <div className="flex flex-wrap items-start justify-between gap-4">
            <ConnectionActions connection={connection} connector={connector} runsPageSize={RUNS_PER_CONNECTION} onSyncRequested={onSyncRequested} />
            {hasStreams(connector) ? <SyncIntervalForm key={connection.syncIntervalMinutes} connection={connection} /> : null}
          </div>
        ) : null}
        <Link
          to={paths.connection(practice.agency.id, practice.id, fromGlobalId(connection.id))}
          className="inline-block text-sm font-medium text-indigo-700 hover:underline"
        >
          {isAdmin ? "Run history and settings" : "Run history"}
          <span className="sr-only"> of {connection.displayName}</span> →
        </Link>
      </div>
    </article>
  );
}

function Catalogue({ connectors, practice, isAdmin }: { connectors: Connector[]; practice: Practice; isAdmin: boolean }) {
  const kinds = [...new Set(["pms", "lead-source", ...connectors.map((c) => c.kind)])].filter((kind) => connectors.some((c) => c.kind === kind));
  return (
    <section aria-labelledby="catalogue-heading">
      <h2 id="catalogue-heading" className="text-lg font-semibold text-slate-900">
        {isAdmin ? "Add an integration" : "Available integrations"}
      </h2>
      {!isAdmin ? <p className="mt-1 text-sm text-slate-600">Practice admins connect these.</p> : null}
      <div className="mt-3 space-y-6">
        {kinds.map((kind) => (
          <div key={kind}>
            <h3 className="text-sm font-semibold uppercase tracking-wide text-slate-600">{CONNECTOR_KINDS[kind] ?? humanize(kind)}</h3>
            <ul className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {connectors
                .filter((c) => c.kind === kind)
                .sort((a, b) => Number(a.status === "coming-soon") - Number(b.status === "coming-soon"))
                .map((connector) => (
                  <li key={connector.id} className="flex flex-col rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                    <div className="flex items-start justify-between gap-2">
                      <p className="font-semibold text-slate-900">{connector.displayName}</p>
                      {connector.status === "coming-soon" ? <Badge tone="amber">Coming soon</Badge> : null}
                    </div>
                    <p className="mt-1 flex-1 text-sm text-slate-600">{connector.description}</p>
                    {connector.status === "coming-soon" ? (
                      <p className="mt-3 text-sm text-slate-600">Not connectable yet.</p>
                    ) : isAdmin ? (
                      <div className="mt-3">
                        <Link to={paths.newConnection(practice.agency.id, practice.id, connector.id)} className={buttonClass("secondary", "sm")}>
                          Connect<span className="sr-only"> {connector.displayName}</span>
                        </Link>
                      </div>
                    ) : null}
                  </li>
                ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
