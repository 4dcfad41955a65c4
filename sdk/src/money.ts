/**
 * Converts a decimal amount as sources send it ("130.00", "339", -25.5, "1,250.5") to integer cents, exactly:
 * the digits are read as text so 0.1 + 0.2 style float error never reaches a ledger. Returns undefined if unparseable.
 */
export function parseMoneyToCents(value: string | number): number | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(6) : '') : value.trim().replace(/[,$\s]/g, '');
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const whole = Number(match[2] || '0');
  const fraction = (match[3] ?? '').padEnd(3, '0');
  // Round half away from zero on the third decimal, as accounting systems do.
  let cents = whole * 100 + Number(fraction.slice(0, 2));
  if (Number(fraction[2]) >= 5) cents += 1;
  const result = sign * cents;
  return Number.isSafeInteger(result) ? (Object.is(result, -0) ? 0 : result) : undefined;
}
