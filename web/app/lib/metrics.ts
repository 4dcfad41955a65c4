// Numbers as the dashboards show them: whole dollars for money, one decimal for credited (fractional) patients.
const LOCALE = "en-US";

export function formatMoney(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "—";
  return new Intl.NumberFormat(LOCALE, { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(cents / 100);
}

export function formatCount(value: number | null | undefined, fractional = false): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: fractional && !Number.isInteger(value) ? 1 : 0 }).format(value);
}

export function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${value.toFixed(1)}×`;
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${Math.round(value * 100)}%`;
}

/** Change against the previous period, for a KPI card: "+12%" / "−3%", or null when there is nothing to compare. */
export function changeOf(current: number | null, previous: number | null): { text: string; direction: "up" | "down" | "flat" } | null {
  if (current === null || previous === null || previous === 0) return null;
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.005) return { text: "0%", direction: "flat" };
  return { text: `${change > 0 ? "+" : "−"}${Math.abs(Math.round(change * 100))}%`, direction: change > 0 ? "up" : "down" };
}
