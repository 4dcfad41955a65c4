/**
 * A value as an SQL literal, for statements sent over the simple protocol: the one that lets several statements share
 * a round trip (`BEGIN` with a transaction's scope, a last write with its `COMMIT`), and takes no parameters.
 */
export function sqlLiteral(value: string | number | Buffer | null, what = 'a value'): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`${what} is not an integer: ${value}`);
    return String(value);
  }
  // Hex digits only: no quote or backslash to escape, whatever standard_conforming_strings says.
  if (Buffer.isBuffer(value)) return `decode('${value.toString('hex')}', 'hex')`;
  // The simple protocol ends a query at NUL; PostgreSQL refuses NUL in text either way.
  if (value.includes('\u0000')) throw new TypeError(`${what} contains a NUL character`);
  // As pg.escapeLiteral writes it (an E'' string only when there is a backslash to double), but with native
  // replaces: its loop over every character took seconds over a full run's explanations.
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}
