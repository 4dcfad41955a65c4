// Money as people type it into a form and as a ledger shows it: exact cents both ways, never a float in between.

/** The largest amount the API's `amountCents` (a GraphQL Int) can carry. */
const MAX_INT_CENTS = 2_147_483_647;

/**
 * Dollars as typed — `1234.56`, `1,234.56`, `$1,234.56`, `80.5` — to integer cents. The digits are joined as text
 * (`"1234" + "56"`) rather than multiplied, so `19.99` is 1999 and not 1998.9999999999998. Misplaced separators, more
 * than two decimals and negative amounts are refused with a reason, as the API's spend-file reader refuses them.
 */
export function parseDollars(text: string): { cents: number } | { problem: string } {
  const value = text.trim();
  if (value === "") return { problem: "Enter the amount in dollars." };
  if (/^-|^\$\s*-|^\(.*\)$/.test(value)) return { problem: "Spend is entered as a positive amount." };
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return { problem: "Enter dollars and cents, e.g. 1234.56, 1,234.56 or $1,234.56 (at most two decimals)." };
  const whole = match[1]!.replace(/,/g, "").replace(/^0+(?=\d)/, "");
  if (whole.length > 10) return { problem: "That amount is too large for one row." };
  const cents = Number(`${whole}${(match[2] ?? "").padEnd(2, "0")}`);
  return cents > MAX_INT_CENTS ? { problem: "That amount is too large for one row." } : { cents };
}

/** "$1,234.56": to the cent, in the row's own currency (the dashboards round to whole dollars; a ledger does not). */
export function formatCents(cents: number, currency = "USD"): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
}
