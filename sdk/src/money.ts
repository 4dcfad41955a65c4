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

/**
 * Converts micros (millionths of the currency unit, as Google Ads reports `cost_micros`, often as an int64 string) to
 * integer cents exactly, rounding half away from zero. Returns undefined if unparseable.
 */
export function microsToCents(micros: string | number | bigint): number | undefined {
  let value: bigint;
  if (typeof micros === 'bigint') value = micros;
  else if (typeof micros === 'number') {
    if (!Number.isSafeInteger(micros)) return undefined;
    value = BigInt(micros);
  } else {
    if (!/^-?\d+$/.test(micros.trim())) return undefined;
    value = BigInt(micros.trim());
  }
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const cents = (magnitude + 5_000n) / 10_000n;
  const result = Number(negative ? -cents : cents);
  return Number.isSafeInteger(result) ? (Object.is(result, -0) ? 0 : result) : undefined;
}
