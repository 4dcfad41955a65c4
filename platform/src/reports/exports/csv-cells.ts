/**
 * A cell as a spreadsheet will read it. Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be
 * run as a formula by Excel or Sheets (CSV injection: a campaign named `=HYPERLINK(…)`), so it is prefixed with `'`,
 * which spreadsheets show as text. Numbers stay numbers.
 */
export function safeCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Cents as dollars with two decimals, as spreadsheets sum them. */
export const dollars = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));
