import { Link } from "@remix-run/react";
import { useMemo, useState } from "react";
import type { SyncHealth } from "~/gql/graphql";
import { formatCount, formatMoney, formatPercent, formatRatio } from "~/lib/metrics";
import { paths } from "~/lib/paths";
import { Sparkline } from "./sparkline";
import { TableFrame, cx, tdCompact as td, thCompact as th } from "./ui";

export interface ConsoleRow {
  practiceId: string;
  name: string;
  leads: number;
  newPatients: number;
  productionCents: number;
  spendCents: number;
  costPerPatientCents: number | null;
  returnOnSpend: number | null;
  matchRate: number | null;
  syncHealth: SyncHealth;
  trend: number[];
}

type SortKey = Exclude<keyof ConsoleRow, "practiceId" | "trend" | "syncHealth">;

const COLUMNS: Array<{ key: SortKey; label: string; format: (row: ConsoleRow) => string }> = [
  { key: "leads", label: "Leads", format: (r) => formatCount(r.leads) },
  { key: "newPatients", label: "New patients", format: (r) => formatCount(r.newPatients, true) },
  { key: "productionCents", label: "Revenue", format: (r) => formatMoney(r.productionCents) },
  { key: "spendCents", label: "Spend", format: (r) => (r.spendCents ? formatMoney(r.spendCents) : "—") },
  { key: "costPerPatientCents", label: "Cost / patient", format: (r) => formatMoney(r.costPerPatientCents) },
  { key: "returnOnSpend", label: "Return", format: (r) => formatRatio(r.returnOnSpend) },
  { key: "matchRate", label: "Matched", format: (r) => formatPercent(r.matchRate) },
];

const HEALTH: Record<SyncHealth, { label: string; dot: string }> = {
  OK: { label: "Syncing", dot: "bg-emerald-500" },
  NEW: { label: "Not synced yet", dot: "bg-slate-300" },
  NONE: { label: "No connection", dot: "bg-slate-300" },
  RATE_LIMITED: { label: "Rate limited", dot: "bg-amber-500" },
  ERROR: { label: "Sync errors", dot: "bg-red-600" },
  AUTH_FAILED: { label: "Credentials rejected", dot: "bg-red-600" },
};

/** The practice's sync health as a dot and a short word: problems stand out, and the text never relies on colour. */
function SyncStatus({ health }: { health: SyncHealth }) {
  const { label, dot } = HEALTH[health];
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-700">
      <span aria-hidden="true" className={cx("size-2 shrink-0 rounded-full", dot)} />
      {label}
    </span>
  );
}

/** Every practice side by side, sortable by any figure and filtered by name. */
export function AgencyConsole({ agencyId, rows, query }: { agencyId: string; rows: ConsoleRow[]; query: string }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "productionCents", descending: true });
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const value = (row: ConsoleRow) => row[sort.key];
    return rows
      .filter((row) => !needle || row.name.toLowerCase().includes(needle))
      .sort((a, b) => {
        const [x, y] = [value(a), value(b)];
        // Missing figures (no spend, no leads) sort last either way.
        if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
        const order = typeof x === "string" ? x.localeCompare(y as string) : (x as number) - (y as number);
        return sort.descending ? -order : order;
      });
  }, [rows, sort, filter]);

  const header = (key: SortKey, label: string, alignRight: boolean) => {
    const active = sort.key === key;
    return (
      <th key={key} scope="col" className={cx(th, alignRight && "text-right")} aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}>
        <button
          type="button"
          className="inline-flex items-center gap-1 uppercase hover:text-slate-900"
          onClick={() => setSort({ key, descending: active ? !sort.descending : key !== "name" })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? "↓" : "↑") : ""}</span>
        </button>
      </th>
    );
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <label htmlFor="console-filter" className="block text-xs font-medium text-slate-600">
            Filter practices
          </label>
          <input
            id="console-filter"
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            placeholder="Practice name"
            className="rounded-md border-0 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
          />
        </div>
        <p className="text-sm text-slate-600" aria-live="polite">
          {shown.length} of {rows.length} practices
        </p>
      </div>
      <TableFrame label="Practices">
          <thead className="bg-slate-50 text-left">
            <tr>
              {header("name", "Practice", false)}
              {COLUMNS.map((c) => header(c.key, c.label, true))}
              <th scope="col" className={th}>
                Sync
              </th>
              <th scope="col" className={th}>
                Trend<span className="sr-only"> of new patients</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white">
            {shown.map((row) => (
              <tr key={row.practiceId}>
                <th scope="row" className={cx(td, "min-w-36 font-medium")}>
                  <Link to={paths.practice(agencyId, row.practiceId) + query} className="text-indigo-700 hover:underline">
                    {row.name}
                  </Link>
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.key} className={cx(td, "text-right tabular-nums")}>
                    {c.format(row)}
                  </td>
                ))}
                <td className={td}>
                  <SyncStatus health={row.syncHealth} />
                </td>
                <td className={td}>
                  <Sparkline width={64} values={row.trend} label={`New patients in ${row.name}, oldest to newest: ${row.trend.join(", ")}`} />
                </td>
              </tr>
            ))}
          </tbody>
      </TableFrame>
      {shown.length === 0 && rows.length > 0 ? (
        <p className="py-4 text-center text-sm text-slate-600">
          No practice’s name contains “{filter.trim()}”.{" "}
          <button type="button" className="font-medium text-indigo-700 hover:underline" onClick={() => setFilter("")}>
            Show every practice
          </button>
        </p>
      ) : null}
    </div>
  );
}
