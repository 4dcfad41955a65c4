import { changeOf } from "~/lib/metrics";
import { cx } from "./ui";

/**
 * One headline figure with its change against the previous period. `better` says which way is good: more patients
 * is good, a higher cost per patient is not, so the colour follows the meaning, not the sign.
 */
export function Kpi({
  label,
  value,
  current,
  previous,
  better = "up",
  hint,
}: {
  label: string;
  value: string;
  current: number | null;
  previous: number | null;
  better?: "up" | "down";
  hint?: string;
}) {
  const change = changeOf(current, previous);
  const good = change && change.direction !== "flat" ? change.direction === better : null;
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="text-sm font-medium text-slate-600" title={hint}>
        {label}
      </dt>
      <dd className="mt-1 flex flex-wrap items-baseline gap-x-2">
        <span className="text-2xl font-semibold tracking-tight text-slate-900">{value}</span>
        {change ? (
          <span
            className={cx("text-sm font-medium", good === null ? "text-slate-600" : good ? "text-emerald-700" : "text-red-700")}
            aria-label={`${change.text} against the previous period`}
          >
            {change.text}
          </span>
        ) : (
          <span className="text-xs text-slate-500">no prior figure</span>
        )}
      </dd>
    </div>
  );
}
