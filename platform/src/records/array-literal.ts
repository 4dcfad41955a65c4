import { sqlLiteral } from '../db/sql-literal.ts';

/**
 * A PostgreSQL array literal (`{…}`) for `unnest($n::type[])`, built directly from a batch's column of values. The pg
 * driver's generic serialiser runs two regular expressions over every element; a bulk sync sends millions of them.
 * Strings are always quoted (so `NULL` and `""` stay strings), byte arrays go as `\x` hex, numbers and booleans bare.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i]);
  return `{${parts.join(',')}}`;
}

/** The same as an SQL string literal, for statements sent over the simple protocol (`sqlLiteral`). */
export function sqlArrayLiteral(values: readonly unknown[]): string {
  return sqlLiteral(arrayLiteral(values));
}

function element(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
  }
  if (ArrayBuffer.isView(value)) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (value instanceof Date) return quoted(value.toISOString());
  throw new TypeError(`cannot write a ${Object.prototype.toString.call(value)} as an array element`);
}

function quoted(text: string): string {
  return text.includes('\\') || text.includes('"') ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
}
