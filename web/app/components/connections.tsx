import { useId, useState, type FormEvent } from "react";
import { useRevalidator } from "@remix-run/react";
import { useMutation } from "urql";
import type { ConnectionFieldsFragment, ConnectorFieldsFragment, SyncRunFieldsFragment } from "~/gql/graphql";
import { Alert, Badge, Button, FormErrors, SubmitButton, cx } from "~/components/ui";
import { formatDateTime } from "~/lib/format";
import { NUMBER_FORMAT, SYNC_INTERVALS, connectionStatus, formatInterval, formatRelative, humanize } from "~/lib/integrations";
import { SyncConnectionNowMutation, TestConnectionMutation, UpdateConnectionMutation } from "~/lib/integrations-documents";
import { useHydrated } from "~/lib/use-hydrated";

export type Connector = ConnectorFieldsFragment;
export type Run = SyncRunFieldsFragment & { errors?: string };
export type LiveConnection = ConnectionFieldsFragment & { runs: Run[] };

/**
 * "Sync now" queues one job per stream; the runs appear as the worker picks them up, one stream after another. Until
 * `expected` runs the page had not seen before have appeared (or `until` passes), the page keeps polling.
 */
export interface SyncRequest {
  known: string[];
  expected: number;
  until: number;
}

const SYNC_REQUEST_PATIENCE_MS = 120_000;
/** How long after a requested sync the page still says how it ended. */
const FINISHED_NOTICE_MS = 10 * 60_000;

/** `pageSize`: how many of the newest runs the page reads, which bounds how many new ones it can see. */
export function newSyncRequest(connection: LiveConnection, connector: Connector | undefined, pageSize: number): SyncRequest {
  return {
    known: connection.runs.map((r) => r.id),
    expected: Math.max(1, Math.min(connector?.streams.length ?? 1, pageSize)),
    until: Date.now() + SYNC_REQUEST_PATIENCE_MS,
  };
}

/** Whether the connector pulls on a schedule (streams); webhook-only sources have nothing to sync or schedule. */
export function hasStreams(connector: Connector | null | undefined): boolean {
  return !connector || connector.streams.length > 0;
}

/** Whether the page should keep asking: a run is running, or a requested sync has not shown all its runs yet. */
export function syncInProgress(connection: LiveConnection, request: SyncRequest | null | undefined): boolean {
  if (connection.runs.some((r) => r.status === "running")) return true;
  return syncPending(connection, request);
}

/** A requested sync whose runs have not all started yet. */
export function syncPending(connection: LiveConnection, request: SyncRequest | null | undefined): boolean {
  if (!request || Date.now() > request.until) return false;
  const fresh = connection.runs.filter((r) => !request.known.includes(r.id)).length;
  return fresh < request.expected;
}

export function ConnectionStatusBadge({ status, paused }: { status: string; paused?: boolean }) {
  const { label, tone } = connectionStatus(status);
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={tone}>{label}</Badge>
      {paused ? <Badge>Paused</Badge> : null}
    </span>
  );
}

/** The status in words, with the API's explanation when something needs attention. */
export function ConnectionStatusLine({ connection }: { connection: LiveConnection }) {
  return (
    <div className="space-y-1">
      <ConnectionStatusBadge status={connection.status} paused={connection.paused} />
      {connection.statusMessage && connection.status !== "ok" ? (
        <p className={cx("text-sm", connection.status === "rate_limited" ? "text-amber-900" : "text-red-800")}>
          {connection.status === "error" ? "Error: " : null}
          {connection.statusMessage}
        </p>
      ) : null}
    </div>
  );
}

/** "3 minutes ago", with the exact time (in the practice's zone) on hover. */
export function RelativeTime({ iso, now, timeZone }: { iso: string; now: number; timeZone: string }) {
  return (
    <time dateTime={iso} title={`${formatDateTime(iso, timeZone)} (${timeZone.replace(/_/g, " ")})`}>
      {formatRelative(iso, now)}
    </time>
  );
}

export function LastSynced({ connection, now, timeZone }: { connection: LiveConnection; now: number; timeZone: string }) {
  return (
    <span>
      {connection.lastSyncedAt ? (
        <>
          Last synced <RelativeTime iso={connection.lastSyncedAt} now={now} timeZone={timeZone} />
        </>
      ) : (
        "Not synced yet"
      )}
    </span>
  );
}

/** A run's progress: a bar out of `total`, or a sliding bar while the total is not known. */
export function ProgressBar({ done, total, label }: { done: number; total: number | null; label: string }) {
  const known = total != null && total > 0;
  const percent = known ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="w-full max-w-48">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={known ? 0 : undefined}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? Math.min(done, total) : undefined}
        aria-valuetext={known ? `${NUMBER_FORMAT.format(done)} of ${NUMBER_FORMAT.format(total)}` : `${NUMBER_FORMAT.format(done)} so far`}
        className="h-1.5 overflow-hidden rounded-full bg-slate-200"
      >
        {known ? (
          <div className="h-full rounded-full bg-indigo-600 transition-[width]" style={{ width: `${percent}%` }} />
        ) : (
          <div data-indeterminate="" className="h-full w-1/3 rounded-full bg-indigo-600 motion-safe:animate-indeterminate" />
        )}
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {known ? `${NUMBER_FORMAT.format(done)} of ${NUMBER_FORMAT.format(total)}` : `${NUMBER_FORMAT.format(done)} so far`}
      </p>
    </div>
  );
}

/**
 * What the connection is doing: the running data set with its progress, a requested sync still waiting to start, or
 * how the requested sync ended. The words sit in a polite live region (the progress bar does not, so screen readers
 * hear each step, not every count).
 */
export function SyncActivity({
  connection,
  request,
  showLastFailure = false,
}: {
  connection: LiveConnection;
  request: SyncRequest | null | undefined;
  showLastFailure?: boolean;
}) {
  const running = connection.runs.find((r) => r.status === "running");
  const pending = !running && syncPending(connection, request);
  const fresh = request ? connection.runs.filter((r) => !request.known.includes(r.id)) : [];
  const failed = fresh.filter((r) => r.status === "failed").length;
  const latest = connection.runs[0];
  let tone: "busy" | "good" | "bad" | null = null;
  let text: string | null = null;
  if (running) {
    tone = "busy";
    text = `Syncing ${humanize(running.stream).toLowerCase()}…`;
  } else if (pending) {
    tone = "busy";
    text = fresh.length ? "Waiting for the next data set to start…" : "Sync requested: waiting for the first data set to start…";
  } else if (request && fresh.length && Date.now() < request.until + FINISHED_NOTICE_MS) {
    tone = failed ? "bad" : "good";
    text = failed
      ? `Sync finished: ${failed} of ${fresh.length} data sets failed. The run history says why.`
      : `Sync finished: ${fresh.length} ${fresh.length === 1 ? "data set" : "data sets"} synced.`;
  } else if (request && !fresh.length && Date.now() < request.until + FINISHED_NOTICE_MS) {
    tone = "bad";
    text = "The requested sync has not started yet: the background worker may be busy or stopped.";
  } else if (showLastFailure && latest?.status === "failed") {
    tone = "bad";
    text = `The last run (${humanize(latest.stream).toLowerCase()}) failed${latest.failure ? `: ${latest.failure}` : "."}`;
  }
  return (
    <div
      className={cx(
        tone && "flex flex-wrap items-center gap-x-4 gap-y-1 rounded-lg px-3 py-2 text-sm",
        tone === "busy" && "bg-indigo-50 text-indigo-900",
        tone === "good" && "bg-emerald-50 text-emerald-900",
        tone === "bad" && "bg-red-50 text-red-800",
      )}
    >
      <p role="status" className={cx(tone === "busy" && "font-medium")}>
        {text}
      </p>
      {running ? <ProgressBar done={running.progressDone} total={running.progressTotal} label={`Progress of ${humanize(running.stream)}`} /> : null}
    </div>
  );
}

/**
 * Admin actions on one connection: test it (the answer shows right here), sync now, pause or resume. `onSyncRequested`
 * lets the page start watching for the runs the request queues.
 */
export function ConnectionActions({
  connection,
  connector,
  runsPageSize,
  onSyncRequested,
}: {
  connection: LiveConnection;
  connector: Connector | undefined;
  runsPageSize: number;
  onSyncRequested: (request: SyncRequest) => void;
}) {
  const hydrated = useHydrated();
  const revalidator = useRevalidator();
  const [test, runTest] = useMutation(TestConnectionMutation);
  const [sync, runSync] = useMutation(SyncConnectionNowMutation);
  const [pause, runPause] = useMutation(UpdateConnectionMutation);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null);
  const canSync = connector?.status !== "coming-soon" && hasStreams(connector);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          disabled={!hydrated || test.fetching}
          disabledLook={hydrated}
          aria-busy={test.fetching || undefined}
          onClick={async () => {
            setTestResult(null);
            const result = await runTest({ id: connection.id });
            if (result.data) {
              setTestResult(result.data.testConnection);
              revalidator.revalidate();
            }
          }}
        >
          {test.fetching ? "Testing…" : "Test connection"}
        </Button>
        {canSync ? (
          <Button
            size="sm"
            disabled={!hydrated || sync.fetching}
            disabledLook={hydrated}
            aria-busy={sync.fetching || undefined}
            onClick={async () => {
              const result = await runSync({ id: connection.id });
              if (result.data) onSyncRequested(newSyncRequest(connection, connector, runsPageSize));
            }}
          >
            {sync.fetching ? "Queuing…" : "Sync now"}
          </Button>
        ) : null}
        {hasStreams(connector) ? (
          <Button
            size="sm"
            disabled={!hydrated || pause.fetching}
            disabledLook={hydrated}
            onClick={async () => {
              const result = await runPause({ id: connection.id, paused: !connection.paused });
              if (result.data) revalidator.revalidate();
            }}
          >
            {connection.paused ? "Resume syncing" : "Pause syncing"}
          </Button>
        ) : null}
      </div>
      {testResult ? (
        <Alert tone={testResult.ok ? "success" : "error"} title={testResult.ok ? "The connection works" : "The connection test failed"}>
          {testResult.message}
        </Alert>
      ) : null}
      <FormErrors error={test.error ?? sync.error ?? pause.error} />
    </div>
  );
}

/** "Sync every [15 minutes]": Save appears once the choice differs from what is stored. */
export function SyncIntervalForm({ connection }: { connection: LiveConnection }) {
  const id = useId();
  const [value, setValue] = useState(connection.syncIntervalMinutes);
  const [{ fetching, error }, update] = useMutation(UpdateConnectionMutation);
  const revalidator = useRevalidator();
  const options = SYNC_INTERVALS.includes(connection.syncIntervalMinutes)
    ? SYNC_INTERVALS
    : [...SYNC_INTERVALS, connection.syncIntervalMinutes].sort((a, b) => a - b);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await update({ id: connection.id, syncIntervalMinutes: value });
    if (result.data) revalidator.revalidate();
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          Sync every
        </label>
        <select
          id={id}
          value={value}
          onChange={(e) => setValue(Number(e.currentTarget.value))}
          className="rounded-md border-0 bg-white py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
        >
          {options.map((minutes) => (
            <option key={minutes} value={minutes}>
              {formatInterval(minutes)}
            </option>
          ))}
        </select>
        {value !== connection.syncIntervalMinutes ? (
          <SubmitButton size="sm" pending={fetching} pendingLabel="Saving…">
            Save
          </SubmitButton>
        ) : null}
      </div>
      <FormErrors error={error} />
    </form>
  );
}

/** What viewers and analysts see instead of the schedule controls. */
export function ScheduleText({ connection }: { connection: LiveConnection }) {
  return (
    <span>{connection.paused ? "Paused: no scheduled syncs" : `Syncs every ${formatInterval(connection.syncIntervalMinutes)}`}</span>
  );
}

/** `node(id:)` answers a union with an empty object for other types; this is the type once the fields were checked. */
export type KnownNode<T> = Exclude<NonNullable<T>, Record<PropertyKey, never>>;

/** A connection as the API nests it (`runs.edges[].node`), flattened to what the pages keep. */
export function flattenConnection<T extends ConnectionFieldsFragment & { runs: { edges: Array<{ node: Run }> } }>(connection: T): LiveConnection {
  const { runs, ...fields } = connection;
  return { ...fields, runs: runs.edges.map((e) => e.node) };
}
