import type { HttpClient } from './http/http-client.ts';
import type { ConnectorLogger } from './logger.ts';
import type { ParseIssue } from './parse-result.ts';
import type { RecordKind, RecordOf } from './records/index.ts';

/** What `ctx.reconcile` found: ids the platform held that the source no longer lists, and listed ids it never saw. */
export interface ReconcileResult {
  /** Known ids missing from the source listing; the platform has marked them deleted. */
  deleted: string[];
  /** Listed ids the platform does not hold (or holds as deleted); the connector should fetch and emit them. */
  unknown: string[];
}

/** The stream's saved position: `get` returns the last committed value, `set` commits the batch with a new one. */
export interface CursorHandle<Cursor> {
  /** The cursor committed by the last successful batch, or `undefined` on the first run (full sync). */
  get(): Cursor | undefined;
  /**
   * Checkpoint: the records emitted since the previous `set` and this cursor are committed together, atomically.
   * After a crash the next run starts from the last committed cursor, so anything emitted after it is emitted again
   * (upserts are idempotent, so re-emission is harmless). Cursors must be monotonic (the stream's `compare`).
   */
  set(next: Cursor): Promise<void>;
}

/**
 * Everything a stream's `sync` may touch. A connector never opens a database connection: it reads from its source
 * through `http` and hands canonical records to `emit`. The platform (or the test kit's in-memory runner) implements it.
 */
/**
 * Why a run happens: on its schedule, because someone pressed "sync now", or the nightly full reconcile, when a
 * stream should also re-read what its incremental reads can miss (hard deletes, edits no change stamp shows).
 */
export type SyncReason = 'schedule' | 'manual' | 'reconcile';

export interface SyncContext<Settings, Cursor> {
  /** The connection this run serves; record ids are scoped to it. */
  readonly connectionId: string;
  readonly reason: SyncReason;
  /** Validated settings, secrets decrypted. */
  readonly settings: Settings;
  /**
   * Adds records to the current batch. Records are validated against the canonical schema and upserted by
   * (connection, kind, id). The platform may write a large batch early to bound memory, but never commits a cursor
   * ahead of the records emitted before it.
   */
  emit<K extends RecordKind>(kind: K, records: readonly RecordOf<K>[]): Promise<void>;
  /** Marks records deleted (the source said so explicitly). Committed with the batch, like `emit`. */
  remove(kind: RecordKind, ids: readonly string[]): Promise<void>;
  /**
   * Hard-delete detection: `liveIds` is the complete set of ids of `kind` the source lists right now. Pending records
   * are written first; then every id the platform holds for this connection and kind but not in `liveIds` is marked
   * deleted. Deleting is idempotent, so a crash after reconcile is harmless.
   */
  reconcile(kind: RecordKind, liveIds: Iterable<string>): Promise<ReconcileResult>;
  readonly cursor: CursorHandle<Cursor>;
  readonly http: HttpClient;
  /** Ids and counts only: never PHI. */
  readonly log: ConnectorLogger;
  /**
   * Reports source rows the connector could not turn into records (by record id and field, never values). The run
   * goes on; the platform lists them with the run so a person can see what was skipped and why.
   */
  reject(issues: readonly ParseIssue[]): void;
  /** Reports how far the run is; `total` when the source knows it. */
  progress(done: number, total?: number): void;
  /** Aborted when the run is cancelled or times out; pass it to anything that waits. */
  readonly signal: AbortSignal;
  /** The platform's clock (injectable in tests). Sources with their own clock (Open Dental) should use theirs. */
  now(): Date;
}

/** What a webhook handler receives: the raw request, before any parsing. */
export interface WebhookRequest {
  method: string;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The body decoded as UTF-8: what `parse` reads. */
  body: string;
  /**
   * The body's bytes exactly as received, which is what senders sign: verify signatures over these (read them with
   * `webhookBodyBytes`, which falls back to `body` for requests built by hand). The platform always sets them.
   */
  rawBody?: Uint8Array;
  url: string;
}
