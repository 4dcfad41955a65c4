import { parseMoneyToCents } from '@sourceline/sdk';

/**
 * An amount as people type it in a spreadsheet — `1234.56`, `1,234.56`, `$1,234.56`, `$ 80` — to integer cents, once,
 * here at the edge. Stricter than the connectors' money parser: misplaced separators (`12,34.5`), more than two
 * decimals and negative amounts are refused rather than guessed, since a typo here becomes a wrong cost per lead.
 */
export function parseSpendAmount(text: string): { cents: number } | { problem: string } {
  const value = text.trim();
  if (value === '') return { problem: 'the amount is missing' };
  if (/^-|^\$\s*-|^\(.*\)$/.test(value)) return { problem: 'a negative amount: spend is entered as a positive amount' };
  if (!/^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(value)) {
    return { problem: 'not an amount (e.g. 1234.56, 1,234.56 or $1,234.56; at most two decimals)' };
  }
  const cents = parseMoneyToCents(value);
  return cents === undefined ? { problem: 'the amount is too large' } : { cents };
}
