import { issuesFromZod, readJsonPayload, type EmittedRecord, type ParseIssue, type ParseResult, type RawPayload, type RecordKind, type RecordOf, type SyncContext } from '@sourceline/sdk';
import type { z } from 'zod';
import { SearchResponse } from '../gaql-rows.ts';

/** Maps one GAQL row to its record(s); undefined skips the row (not every row is a record). */
export type RowMapper<Row> = (row: Row) => EmittedRecord | undefined;

/** Validates and maps a page of search results; an unreadable row becomes an issue naming its position and field. */
export function mapSearchRows<Row>(results: readonly unknown[], schema: z.ZodType<Row>, map: RowMapper<Row>, label: string): { records: EmittedRecord[]; issues: ParseIssue[] } {
  const records: EmittedRecord[] = [];
  const issues: ParseIssue[] = [];
  results.forEach((result, i) => {
    const row = schema.safeParse(result);
    if (!row.success) {
      issues.push(...issuesFromZod(row.error, `${label} row ${i + 1}`));
      return;
    }
    const record = map(row.data);
    if (record) records.push(record);
  });
  return { records, issues };
}

/** `connector parse` for a saved `googleAds:search` response: the same row mapping a sync uses. */
export function parseSavedSearch<Row>(payload: RawPayload, schema: z.ZodType<Row>, map: RowMapper<Row>): ParseResult {
  const json = readJsonPayload(payload);
  if (!json.ok) return { records: [], issues: [json.issue] };
  const page = SearchResponse.safeParse(json.value);
  if (!page.success) return { records: [], issues: issuesFromZod(page.error, payload.name) };
  return mapSearchRows(page.data.results, schema, map, payload.name);
}

/** Emits mapped records in one batch per kind (a page of GAQL rows maps to one kind, but the type does not know it). */
export async function emitRecords<Settings, Cursor>(ctx: SyncContext<Settings, Cursor>, records: readonly EmittedRecord[]): Promise<void> {
  const byKind = new Map<RecordKind, RecordOf<RecordKind>[]>();
  for (const { kind, record } of records) byKind.set(kind, [...(byKind.get(kind) ?? []), record]);
  for (const [kind, batch] of byKind) await ctx.emit(kind, batch);
}
