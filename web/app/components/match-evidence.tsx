import { cx } from "./ui";

export interface EvidenceComparison {
  comparison: string;
  outcome: string;
  weight: number;
}

const COMPARISON_NAMES: Record<string, string> = {
  phone: "Phone",
  email: "E-mail",
  given_name: "First name",
  surname: "Last name",
  birthdate: "Birthdate",
  region: "Area code",
  timing: "Timing",
  household: "Household",
  sequence: "Booking order",
};

const OUTCOME_NAMES: Record<string, string> = {
  exact: "same",
  exact_rare: "same (rare name)",
  exact_common: "same (common name)",
  shared: "same, shared by the household",
  typo: "nearly the same (a typo)",
  alias: "nickname or preferred name",
  prefix: "initial or cut short",
  partial: "one part of a double name",
  near: "close (digits swapped)",
  disagree: "different",
  missing: "not known on one side",
  local: "local to the chart's address",
  elsewhere: "from elsewhere",
  direct: "found by the lead's own details",
  coregistered: "registered together with a match",
  related: "in a match's household",
  next: "the household's next booking",
  superseded: "booked after another contact",
};

/** Each comparison behind a match, in words, with its weight for (green) or against (red) the link. */
export function MatchEvidence({ comparisons }: { comparisons: readonly EvidenceComparison[] }) {
  return (
    <ul className="space-y-1 text-sm">
      {comparisons
        .filter((c) => c.outcome !== "missing")
        .map((c) => (
          <li key={c.comparison} className="flex items-baseline justify-between gap-3">
            <span>
              <span className="font-medium text-slate-800">{COMPARISON_NAMES[c.comparison] ?? c.comparison}</span>{" "}
              <span className="text-slate-600">{OUTCOME_NAMES[c.outcome] ?? c.outcome.replace(/_/g, " ")}</span>
            </span>
            <span className={cx("whitespace-nowrap tabular-nums text-xs font-medium", c.weight > 0 ? "text-emerald-700" : c.weight < 0 ? "text-red-700" : "text-slate-500")}>
              {c.weight > 0 ? "+" : ""}
              {c.weight.toFixed(1)} bits
            </span>
          </li>
        ))}
    </ul>
  );
}
