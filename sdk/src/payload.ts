import type { z } from 'zod';
import type { ParseIssue, RawPayload } from './parse-result.ts';

/** A payload's JSON, or the issue that says it was not JSON (without echoing its content: it may hold PHI). */
export function readJsonPayload(payload: Pick<RawPayload, 'body' | 'name'>): { ok: true; value: unknown } | { ok: false; issue: ParseIssue } {
  try {
    return { ok: true, value: JSON.parse(payload.body) as unknown };
  } catch {
    return { ok: false, issue: { record: payload.name, field: '(body)', message: 'not JSON' } };
  }
}

/** A zod failure as parse issues naming the record and the source's field path, never the value. */
export function issuesFromZod(error: z.ZodError, record: string): ParseIssue[] {
  return error.issues.map((issue) => ({ record, field: issue.path.join('.') || '(record)', message: issue.message }));
}
