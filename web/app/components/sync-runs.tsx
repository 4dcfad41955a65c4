import { Badge, TableFrame, cx, td, th } from "~/components/ui";
import { ProgressBar, RelativeTime, type Run } from "~/components/connections";
import { NUMBER_FORMAT, formatDuration, humanize, kindLabel, parseCounts, parseRunErrors, runStatus, triggerLabel } from "~/lib/integrations";

function Counts({ json }: { json: string }) {
  const rows = parseCounts(json);
  if (!rows.length) return <span className="text-slate-600">No changes</span>;
  return (
    <ul className="space-y-1">
      {rows.map((row) => (
        <li key={row.kind}>
          <span className="font-medium text-slate-900">{kindLabel(row.kind)}</span>
          <span className="block text-xs text-slate-700">
            {(["inserted", "updated", "deleted", "skipped"] as const).map((key, index) => (
              <span key={key}>
                {index > 0 ? " · " : null}
                <span className={cx("whitespace-nowrap", row[key] ? undefined : "text-slate-600")}>
                  {NUMBER_FORMAT.format(row[key])} {key}
                </span>
              </span>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

function RunErrors({ run }: { run: Run }) {
  if (!run.errorCount) return <span className="text-slate-600">None</span>;
  const errors = run.errors ? parseRunErrors(run.errors) : [];
  const label = `${NUMBER_FORMAT.format(run.errorCount)} ${run.errorCount === 1 ? "record rejected" : "records rejected"}`;
  if (!errors.length) return <span className="font-medium text-red-800">{label}</span>;
  return (
    <details className="group max-w-md">
      <summary className="cursor-pointer rounded font-medium text-red-800 hover:underline">{label}</summary>
      <ul className="mt-2 space-y-1.5 text-xs">
        {errors.map((e, index) => (
          <li key={`${e.record}-${e.field}-${index}`} className="rounded bg-red-50 px-2 py-1.5 text-red-900 ring-1 ring-inset ring-red-200">
            <span className="font-mono">{e.record || "?"}</span>
            {e.field ? (
              <>
                {" "}
                · <span className="font-mono">{e.field}</span>
              </>
            ) : null}
            : {e.message}
          </li>
        ))}
      </ul>
      {errors.length < run.errorCount ? (
        <p className="mt-2 text-xs text-slate-600">
          Showing the first {NUMBER_FORMAT.format(errors.length)} of {NUMBER_FORMAT.format(run.errorCount)}.
        </p>
      ) : null}
    </details>
  );
}

/** A connection's sync runs, newest first: one row per stream run, with live progress while it runs. */
export function SyncRunsTable({ runs, now, timeZone, label = "Sync runs" }: { runs: Run[]; now: number; timeZone: string; label?: string }) {
  return (
    <TableFrame label={label}>
      <thead>
        <tr>
          <th scope="col" className={th}>
            Started
          </th>
          <th scope="col" className={th}>
            Data
          </th>
          <th scope="col" className={th}>
            Trigger
          </th>
          <th scope="col" className={th}>
            Status
          </th>
          <th scope="col" className={th}>
            Duration
          </th>
          <th scope="col" className={th}>
            Records
          </th>
          <th scope="col" className={th}>
            Errors
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {runs.map((run) => {
          const status = runStatus(run.status);
          const running = run.status === "running";
          const end = run.finishedAt ? Date.parse(run.finishedAt) : running ? now : null;
          return (
            <tr key={run.id} data-run-status={run.status}>
              <td className={`${td} whitespace-nowrap`}>
                <RelativeTime iso={run.startedAt} now={now} timeZone={timeZone} />
              </td>
              <td className={`${td} whitespace-nowrap font-medium text-slate-900`}>{humanize(run.stream)}</td>
              <td className={`${td} whitespace-nowrap`}>{triggerLabel(run.trigger)}</td>
              <td className={td}>
                <div className="space-y-1.5">
                  <Badge tone={status.tone}>{status.label}</Badge>
                  {running ? <ProgressBar done={run.progressDone} total={run.progressTotal} label={`Progress of ${humanize(run.stream)}`} /> : null}
                  {run.failure ? <p className="max-w-xs text-sm text-red-800">{run.failure}</p> : null}
                </div>
              </td>
              <td className={`${td} whitespace-nowrap`}>{end === null ? "—" : formatDuration(end - Date.parse(run.startedAt))}</td>
              <td className={td}>
                <Counts json={run.counts} />
              </td>
              <td className={td}>
                <RunErrors run={run} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </TableFrame>
  );
}
