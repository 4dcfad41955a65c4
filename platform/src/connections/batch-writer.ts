import { validateRecords, type ParseIssue, type RecordKind, type RecordOf } from '@sourceline/sdk';
import type pg from 'pg';
import { bulkLoadNoteStatement } from '../attribution/practice/attribution-changes.ts';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { beginStatement, withTenantClient } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import {
  hasRecords,
  isRepeatedRecord,
  markRecordsDeleted,
  prepareUpsert,
  reconcileRecords,
  writeUpsert,
  type IdentifierKeys,
  type PreparedUpsert,
  type RecordTarget,
} from '../records/write-records.ts';
import { prepareKnownNewOffThread } from '../records/prepare-off-thread.ts';
import { recordTables } from '../records/record-tables.ts';

export interface KindCounts {
  inserted: number;
  updated: number;
  deleted: number;
  skipped: number;
}

const MAX_STORED_ERRORS = 500;
const PROGRESS_INTERVAL_MS = 1_000;
/** Below this, a batch is prepared here: the hop to the preparing thread and back would cost more than it saves. */
const MIN_OFF_THREAD_RECORDS = 200;
/** Records of one transaction kept to write it again; beyond this, its batches upsert with `ON CONFLICT`. */
const MAX_REWRITABLE_RECORDS = 10_000;

interface PreparedBatch {
  keys: IdentifierKeys<RecordKind> | undefined;
  batch: PreparedUpsert<RecordKind>;
}

/** What the open transaction has written, to write it again from its start. */
interface Rewritable {
  batches: PreparedBatch[];
  records: number;
  /** What its writes added to the run's counts (emitting records counts too: invalid ones are skipped then). */
  written: Partial<Record<RecordKind, KindCounts>>;
}

/**
 * The open batch of one run: a transaction on one app-role connection that records are written into as they come,
 * committed with each cursor. Writes run on a chain behind the connector — while the database writes one page, the
 * connector fetches and maps the next — with at most two batches in flight, so memory stays bounded and the order of
 * writes, cursors and commits is exactly the order the connector asked for.
 */
export class BatchWriter {
  readonly counts: Partial<Record<RecordKind, KindCounts>> = {};
  errorCount = 0;
  private readonly errors: { record: string; field: string; message: string }[] = [];
  private pending = new Map<RecordKind, unknown[]>();
  private pendingCount = 0;
  /** Kinds the stream emits that the connection held nothing of when the run began: an initial sync. */
  private readonly emptyAtStart = new Set<RecordKind>();
  private client: pg.PoolClient | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** The chain's unfinished items by sequence, oldest first. */
  private readonly inFlight = new Map<number, Promise<void>>();
  private enqueued = 0;
  private failure: unknown = null;
  private progressState: { done: number; total: number | undefined; written: number } = { done: 0, total: undefined, written: 0 };
  /**
   * The open transaction's batches, kept until it commits: in an initial sync a batch is inserted plainly, and should
   * the source list a record twice the failed statement takes the whole transaction with it, to be written again with
   * `ON CONFLICT`. Null once the transaction has removed or reconciled records, or holds too many to keep.
   */
  private rewritable: Rewritable | null = null;
  /** Kinds that met a repeated id in this run: their batches upsert with `ON CONFLICT` from then on. */
  private readonly repeatedKinds = new Set<RecordKind>();

  constructor(
    private readonly platform: Platform,
    private readonly run: {
      target: RecordTarget;
      runId: string;
      stream: string;
      emits: readonly RecordKind[];
      cipher: PracticeCipher;
      identifierKeys: { [K in RecordKind]?: IdentifierKeys<K> };
      batchSize: number;
    },
  ) {}

  async begin(): Promise<void> {
    this.client = await this.platform.db.app.connect();
    await this.client.query(this.openingStatement());
    for (const kind of this.run.emits) if (!(await hasRecords(this.client, this.run.target, kind))) this.emptyAtStart.add(kind);
    if (this.emptyAtStart.size) await this.client.query(bulkLoadNoteStatement(this.run.target.practiceId));
    this.opened();
  }

  /** A transaction has begun: nothing in it yet to write again. */
  private opened(): void {
    this.rewritable = { batches: [], records: 0, written: {} };
  }

  /**
   * What opens each of the run's transactions, sent as one string: the chain's every round trip can wait behind a
   * page the connector is mapping, and the database idles meanwhile (one more per page cost a sync of 300 pages
   * 1.7 s). Commits need not wait for the WAL flush: a batch lost in a database crash takes its cursor with it, so
   * the next run simply fetches it again; each batch stays atomic. An initial sync asks attribution for one full run
   * in each transaction instead of a note per row.
   */
  private openingStatement(): string {
    const { practiceId } = this.run.target;
    const bulk = this.emptyAtStart.size ? `; ${bulkLoadNoteStatement(practiceId)}` : '';
    return `${beginStatement({ practiceIds: [practiceId] })}; SELECT set_config('synchronous_commit', 'off', true)${bulk}`;
  }

  /** Records the connector or the canonical schema turned away: counted, and kept (up to a limit) with the run. */
  reject(issues: readonly ParseIssue[]): void {
    for (const issue of issues) {
      this.errorCount += 1;
      if (this.errors.length < MAX_STORED_ERRORS) this.errors.push({ ...issue });
    }
  }

  async emit<K extends RecordKind>(kind: K, records: readonly RecordOf<K>[]): Promise<void> {
    this.throwIfFailed();
    const { valid, issues } = validateRecords(kind, records);
    this.reject(issues);
    if (issues.length) this.bump(kind, 'skipped', records.length - valid.length);
    const list = this.pending.get(kind) ?? [];
    list.push(...valid);
    this.pending.set(kind, list);
    this.pendingCount += valid.length;
    if (this.pendingCount >= this.run.batchSize) await this.enqueue(this.takePending());
  }

  async remove(kind: RecordKind, ids: readonly string[]): Promise<void> {
    const batch = this.takePending();
    await this.settled(async () => {
      await batch();
      this.rewritable = null;
      this.bump(kind, 'deleted', await markRecordsDeleted(this.client!, this.run.target, kind, ids));
    });
  }

  async reconcile(kind: RecordKind, liveIds: Iterable<string>) {
    const batch = this.takePending();
    const live = [...liveIds];
    let result: Awaited<ReturnType<typeof reconcileRecords>> | undefined;
    await this.settled(async () => {
      await batch();
      this.rewritable = null;
      result = await reconcileRecords(this.client!, this.run.target, kind, live);
      this.bump(kind, 'deleted', result.deleted.length);
    });
    return result!;
  }

  progress(done: number, total?: number): void {
    this.progressState = { ...this.progressState, done, total };
    const now = Date.now();
    if (now - this.progressState.written < PROGRESS_INTERVAL_MS) return;
    this.progressState.written = now;
    // Outside the batch transaction, so the UI sees progress before the batch commits.
    void withTenantClient(this.platform.db.app, { practiceIds: [this.run.target.practiceId] }, (client) =>
      client.query('UPDATE sync_runs SET progress_done = $2, progress_total = $3 WHERE id = $1', [this.run.runId, done, total ?? null]),
    ).catch(() => {});
  }

  /** Queues: write what is pending, save the cursor and the run's counts, commit them as one. */
  async commit(cursor: unknown): Promise<void> {
    this.throwIfFailed();
    const batch = this.takePending();
    await this.enqueue(async () => {
      await batch();
      await this.saveRun('running', cursor);
      await this.client!.query(`COMMIT; ${this.openingStatement()}`);
      this.opened();
    });
  }

  async finish(cursor: unknown): Promise<void> {
    const batch = this.takePending();
    await this.settled(async () => {
      await batch();
      await this.saveRun('succeeded', cursor);
      await this.client!.query('COMMIT');
    });
    this.release();
  }

  async abandon(): Promise<void> {
    await this.chain.catch(() => {});
    if (!this.client) return;
    await this.client.query('ROLLBACK').catch(() => {});
    this.release();
  }

  private release(): void {
    this.client?.release();
    this.client = null;
  }

  /**
   * Adds work to the chain; waits only when more than two batches are in flight, and then for the oldest alone: two
   * stay queued, so the database never idles while the connector prepares the next.
   */
  private async enqueue(work: () => Promise<void>): Promise<void> {
    const seq = this.enqueued++;
    const item = this.chain.then(async () => {
      try {
        if (this.failure === null) await work();
      } catch (error) {
        this.failure = error;
      } finally {
        this.inFlight.delete(seq);
      }
    });
    this.chain = item;
    this.inFlight.set(seq, item);
    while (this.inFlight.size > 2) await this.inFlight.values().next().value;
    this.throwIfFailed();
  }

  /** Adds work and waits for everything queued so far, including it. */
  private async settled(work: () => Promise<void>): Promise<void> {
    await this.enqueue(work);
    await this.chain;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }

  /**
   * Detaches the pending records into a write to run on the chain. They are hashed (and, in an initial sync, sealed
   * and encoded) now, before the chain reaches them, so that this work overlaps the database writing the batch before
   * instead of leaving it idle: here, or on the preparing thread for a large known-new batch with fields to seal.
   */
  private takePending(): () => Promise<void> {
    const prepared = [...this.pending].map(([kind, records]): PreparedBatch | Promise<PreparedBatch> => {
      const keys = this.run.identifierKeys[kind] as IdentifierKeys<typeof kind> | undefined;
      const knownNew = this.emptyAtStart.has(kind);
      if (knownNew && !keys && records.length >= MIN_OFF_THREAD_RECORDS && sealsFields(kind)) {
        const later = prepareKnownNewOffThread(this.run.cipher, kind, records as RecordOf<typeof kind>[]).then((batch) => ({ keys, batch }));
        later.catch(() => {}); // Awaited on the chain; a failure meanwhile must not count as unhandled.
        return later;
      }
      return { keys, batch: prepareUpsert(this.run.cipher, kind, records as RecordOf<typeof kind>[], keys, knownNew) };
    });
    this.pending = new Map();
    this.pendingCount = 0;
    return async () => {
      for (const item of prepared) await this.write(await item);
    };
  }

  /** Writes one batch; plainly inserted when it is known new and the transaction can be written again. */
  private async write(item: PreparedBatch): Promise<void> {
    const { keys, batch } = item;
    const rewritable = this.rewritable;
    if (rewritable && rewritable.records + batch.byId.size <= MAX_REWRITABLE_RECORDS) {
      rewritable.batches.push(item);
      rewritable.records += batch.byId.size;
    } else {
      this.rewritable = null;
    }
    const plain = this.rewritable !== null && batch.rows !== undefined && !this.repeatedKinds.has(batch.kind);
    try {
      const result = await writeUpsert(this.client!, this.run.target, this.run.cipher, batch, keys, { plain });
      for (const field of ['inserted', 'updated', 'skipped'] as const) {
        this.bump(batch.kind, field, result[field]);
        if (this.rewritable) bump(this.rewritable.written, batch.kind, field, result[field]);
      }
    } catch (error) {
      if (!plain || !isRepeatedRecord(error, batch.kind)) throw error;
      this.repeatedKinds.add(batch.kind);
      await this.writeAgain(rewritable!);
    }
  }

  /** Rolls the open transaction back and writes its batches again, taking what they added out of the run's counts. */
  private async writeAgain(rewritable: Rewritable): Promise<void> {
    await this.client!.query(`ROLLBACK; ${this.openingStatement()}`);
    for (const [kind, counts] of Object.entries(rewritable.written) as [RecordKind, KindCounts][]) {
      for (const field of ['inserted', 'updated', 'skipped'] as const) this.bump(kind, field, -counts[field]);
    }
    this.opened();
    for (const item of rewritable.batches) await this.write(item);
  }

  /** The run's counts and errors, and the cursor (unless there is none to save), in one statement. */
  private async saveRun(status: 'running' | 'succeeded', cursor: unknown): Promise<void> {
    await this.client!.query(
      `WITH saved_cursor AS (
         INSERT INTO sync_cursors (connection_id, stream, practice_id, cursor) SELECT $9::uuid, $10::text, $11::uuid, $6::jsonb WHERE $6::jsonb IS NOT NULL
         ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now())
       UPDATE sync_runs SET status = $2, counts = $3, errors = $4, error_count = $5, cursor_after = $6,
              progress_done = $7, progress_total = $8, finished_at = CASE WHEN $2 = 'succeeded' THEN clock_timestamp() END
        WHERE id = $1`,
      [
        this.run.runId, status, JSON.stringify(this.counts), JSON.stringify(this.errors), this.errorCount,
        cursor === undefined ? null : JSON.stringify(cursor), this.progressState.done, this.progressState.total ?? null,
        this.run.target.connectionId, this.run.stream, this.run.target.practiceId,
      ],
    );
  }

  private bump(kind: RecordKind, field: keyof KindCounts, by: number): void {
    bump(this.counts, kind, field, by);
  }
}

function bump(counts: Partial<Record<RecordKind, KindCounts>>, kind: RecordKind, field: keyof KindCounts, by: number): void {
  if (by === 0) return;
  (counts[kind] ??= { inserted: 0, updated: 0, deleted: 0, skipped: 0 })[field] += by;
}

/** Whether a kind has PHI fields to seal (its `bytea` columns): what makes preparing its batches worth a thread. */
function sealsFields(kind: RecordKind): boolean {
  return recordTables[kind].columns.some((c) => c.type === 'bytea');
}
