import type { ParseIssue } from './parse-result.ts';
import { recordSchemas, type RecordKind, type RecordOf } from './records/index.ts';

/** Validates emitted records against the canonical schema; issues name the record id and field, never values. */
export function validateRecords<K extends RecordKind>(
  kind: K,
  records: readonly unknown[],
): { valid: RecordOf<K>[]; issues: ParseIssue[] } {
  const schema = recordSchemas[kind];
  const valid: RecordOf<K>[] = [];
  const issues: ParseIssue[] = [];
  records.forEach((record, index) => {
    // PostgreSQL text cannot hold U+0000: a record carrying one would fail its whole batch at the database.
    if (holdsNul(record)) {
      for (const field of fieldsWithNul(record)) issues.push({ record: recordLabel(kind, record, index), field, message: 'contains a NUL character (U+0000), which text fields cannot hold' });
      return;
    }
    const result = schema.safeParse(record);
    if (result.success) {
      valid.push(result.data as RecordOf<K>);
      return;
    }
    for (const issue of result.error.issues) {
      issues.push({ record: recordLabel(kind, record, index), field: issue.path.join('.') || '(record)', message: issue.message });
    }
  });
  return { valid, issues };
}

// A function of its own, not a closure made per record: the SDK runs from TypeScript through tsx, whose `keepNames`
// names every closure as it is created, and a sync validates hundreds of thousands of records (~0.2 s of one).
function recordLabel(kind: RecordKind, record: unknown, index: number): string {
  return `${kind} ${typeof record === 'object' && record !== null && 'id' in record ? String(record.id).replaceAll('\u0000', '') : `item ${index}`}`;
}

/**
 * Whether any string value anywhere in a record holds U+0000. Every record of every sync passes through this, so it
 * walks without allocating; `fieldsWithNul` names the fields only for the rare record that has one.
 */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsNul(item)) return true;
    return false;
  }
  for (const key in value) if (holdsNul((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** The paths of string values holding U+0000, anywhere in a record. */
function fieldsWithNul(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || '(record)'] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => fieldsWithNul(item, `${path}.${i}`.replace(/^\./, '')));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => fieldsWithNul(item, path ? `${path}.${key}` : key));
  }
  return [];
}
