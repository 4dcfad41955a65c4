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
    const result = schema.safeParse(record);
    if (result.success) {
      valid.push(result.data as RecordOf<K>);
      return;
    }
    const id = typeof record === 'object' && record !== null && 'id' in record ? String(record.id) : `item ${index}`;
    for (const issue of result.error.issues) {
      issues.push({ record: `${kind} ${id}`, field: issue.path.join('.') || '(record)', message: issue.message });
    }
  });
  return { valid, issues };
}
