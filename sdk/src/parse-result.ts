import type { RecordKind, RecordOf } from './records/index.ts';

/** One problem in a source payload, named by record and field (never by the person in it). */
export interface ParseIssue {
  /** Which record: a source id (`PatNum 2041`), a position (`item 17`) or a file line (`patients.csv line 12`). */
  record: string;
  /** The source field or column, as the source spells it. */
  field: string;
  message: string;
}

export type EmittedRecord = { [K in RecordKind]: { kind: K; record: RecordOf<K> } }[RecordKind];

/** Pairs a record with its kind for a `ParseResult` (generic code cannot name the union member itself). */
export function emitted<K extends RecordKind>(kind: K, record: RecordOf<K>): EmittedRecord {
  return { kind, record } as EmittedRecord;
}

/** What a stream's or webhook's parser makes of one saved payload. */
export interface ParseResult {
  records: EmittedRecord[];
  /** Ids the payload says are gone (e.g. a deletion webhook). */
  removed?: { kind: RecordKind; ids: string[] }[];
  issues: ParseIssue[];
}

/** A payload as saved to disk or received over HTTP, undecoded: JSON, CSV or form bodies are the parser's business. */
export interface RawPayload {
  body: string;
  /** File name or URL path, for issue messages. */
  name: string;
  contentType?: string;
  headers?: Readonly<Record<string, string>>;
  /**
   * When the platform received a pushed payload (ISO instant). Sources whose payloads carry no time of their own
   * (Google Ads lead forms) date their records by it; pass the delivery's stored receipt time so re-parsing a stored
   * body gives the same records.
   */
  receivedAt?: string;
}
