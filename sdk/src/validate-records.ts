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
    const id = typeof record === 'object' && record !== null && 'id' in record ? String(record.id).replaceAll('\u0000', '') : `item ${index}`;
    // PostgreSQL text cannot hold U+0000: a record carrying one would fail its whole batch at the database.
    const nul = fieldsWithNul(record);
    if (nul.length) {
      for (const field of nul) issues.push({ record: `${kind} ${id}`, field, message: 'contains a NUL character (U+0000), which text fields cannot hold' });
      return;
    }
    const result = schema.safeParse(record);
    if (result.success) {
      valid.push(result.data as RecordOf<K>);
      return;
    }
    for (const issue of result.error.issues) {
      issues.push({ record: `${kind} ${id}`, field: issue.path.join('.') || '(record)', message: issue.message });
    }
  });
  return { valid, issues };
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
