import type { z } from 'zod';
import type { ReconcileResult, SyncContext, SyncReason } from '../context.ts';
import type { Connector, StreamDefinition } from '../define-connector.ts';
import { createHttpClient, type HttpClientOptions } from '../http/http-client.ts';
import { createMemoryLogger, type LogEntry } from '../logger.ts';
import type { ParseIssue } from '../parse-result.ts';
import type { RecordKind, RecordOf } from '../records/index.ts';
import { validateRecords } from '../validate-records.ts';
import { MemoryStore } from './memory-store.ts';

/** The contract was broken: a record failed its schema, a cursor went backwards, or state leaked past a commit. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** Thrown inside the connector to simulate the process dying right after a commit. */
export class SimulatedCrash extends Error {
  override name = 'SimulatedCrash';
}

export interface RunStreamOptions<S extends z.ZodObject> {
  connector: Connector<S>;
  stream: string;
  settings: z.input<S>;
  store?: MemoryStore;
  connectionId?: string;
  /** Throw `SimulatedCrash` at the first context call after this many commits (the batch in flight is lost). */
  crashAfterCommits?: number;
  /** Validate every emitted record against its canonical schema (on by default; the contract requires it). */
  validate?: boolean;
  http?: Omit<HttpClientOptions, 'signal' | 'log'>;
  signal?: AbortSignal;
  now?: () => Date;
  /** Why the run happens (`schedule` unless given): `reconcile` runs the stream's nightly full reconcile. */
  reason?: SyncReason;
}

export interface RunReport {
  store: MemoryStore;
  /** Records handed to `emit`, per kind. */
  emitted: Partial<Record<RecordKind, number>>;
  /** Records that were new or different from what the store held when committed, per kind. */
  changed: Partial<Record<RecordKind, number>>;
  deleted: Partial<Record<RecordKind, number>>;
  commits: number;
  cursors: unknown[];
  logs: LogEntry[];
  progress: { done: number; total: number | undefined }[];
  /** Source rows the connector reported it could not map. */
  rejected: ParseIssue[];
  crashed: boolean;
}

type Pending = { kind: RecordKind; id: string; record: unknown; json: string } | { kind: RecordKind; id: string; remove: true };

/**
 * Runs one stream of a connector the way the platform's sync engine does, against an in-memory store:
 * emitted records are buffered and committed atomically with each `cursor.set`, the run's tail is committed when
 * `sync` resolves, and nothing is committed when it throws.
 */
export async function runStream<S extends z.ZodObject>(options: RunStreamOptions<S>): Promise<RunReport> {
  const { connector, validate = true } = options;
  const stream = connector.streams.find((s) => s.name === options.stream);
  if (!stream) throw new Error(`connector "${connector.id}" has no stream "${options.stream}"`);
  const settings = connector.settings.parse(options.settings) as z.infer<S>;
  const store = options.store ?? new MemoryStore();
  const logs: LogEntry[] = [];
  const log = createMemoryLogger(logs);
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
  const report: RunReport = {
    store, emitted: {}, changed: {}, deleted: {}, commits: 0, cursors: [], logs, progress: [], rejected: [], crashed: false,
  };
  let pending: Pending[] = [];
  let crashed = false;
  const stored = store.getCursor(stream.name);
  const startCursor = stored === undefined ? undefined : parseCursor(stream, stored);
  let lastCursor = startCursor;

  const guard = () => {
    if (crashed) throw new SimulatedCrash('simulated crash (already crashed)');
    if (options.crashAfterCommits !== undefined && report.commits >= options.crashAfterCommits) {
      crashed = true;
      pending = [];
      abort.abort(new SimulatedCrash(`simulated crash after ${report.commits} commit(s)`));
      throw new SimulatedCrash(`simulated crash after ${report.commits} commit(s)`);
    }
  };

  const flush = () => {
    for (const item of pending) {
      if ('remove' in item) {
        if (store.markDeleted(item.kind, item.id)) bump(report.deleted, item.kind);
      } else if (store.upsert(item.kind, item.id, item.record, item.json)) {
        bump(report.changed, item.kind);
      }
    }
    pending = [];
  };

  const ctx: SyncContext<z.infer<S>, unknown> = {
    connectionId: options.connectionId ?? 'test-connection',
    reason: options.reason ?? 'schedule',
    settings,
    async emit<K extends RecordKind>(kind: K, records: readonly RecordOf<K>[]) {
      guard();
      if (validate) {
        const { issues } = validateRecords(kind, records);
        if (issues.length > 0) {
          const first = issues[0]!;
          throw new ContractViolation(`${issues.length} invalid ${kind} record(s), first: ${first.record} ${first.field}: ${first.message}`);
        }
      }
      // Like the platform, the runner takes ownership of emitted records: connectors must not mutate them afterwards.
      for (const record of records) pending.push({ kind, id: record.id, record, json: JSON.stringify(record) });
      report.emitted[kind] = (report.emitted[kind] ?? 0) + records.length;
    },
    async remove(kind, ids) {
      guard();
      for (const id of ids) pending.push({ kind, id, remove: true });
    },
    async reconcile(kind, liveIds): Promise<ReconcileResult> {
      guard();
      flush();
      const live = new Set(liveIds);
      const deleted = store.liveIds(kind).filter((id) => !live.has(id));
      for (const id of deleted) if (store.markDeleted(kind, id)) bump(report.deleted, kind);
      const unknown = [...live].filter((id) => !store.isLive(kind, id));
      return { deleted, unknown };
    },
    cursor: {
      get: () => (lastCursor === undefined ? undefined : structuredClone(lastCursor)),
      async set(next) {
        guard();
        const parsed = stream.cursor.schema.safeParse(next);
        if (!parsed.success) throw new ContractViolation(`stream "${stream.name}" set a cursor its own schema rejects: ${parsed.error.message}`);
        if (lastCursor !== undefined && stream.cursor.compare(lastCursor, parsed.data) > 0) {
          throw new ContractViolation(`stream "${stream.name}" moved its cursor backwards: ${JSON.stringify(lastCursor)} → ${JSON.stringify(parsed.data)}`);
        }
        flush();
        store.setCursor(stream.name, parsed.data);
        store.commits++;
        lastCursor = parsed.data;
        report.commits++;
        report.cursors.push(structuredClone(parsed.data));
      },
    },
    http: createHttpClient({ ...options.http, signal, log }),
    log,
    reject(issues) {
      report.rejected.push(...issues);
    },
    progress(done, total) {
      report.progress.push({ done, total });
    },
    signal,
    now: options.now ?? (() => new Date()),
  };

  try {
    await stream.sync(ctx);
  } catch (error) {
    if (error instanceof SimulatedCrash || (crashed && signal.aborted)) {
      report.crashed = true;
      return report;
    }
    throw error;
  }
  if (crashed) {
    report.crashed = true;
    return report;
  }
  flush();
  return report;
}

function parseCursor(stream: StreamDefinition<unknown, unknown>, stored: unknown): unknown {
  const parsed = stream.cursor.schema.safeParse(stored);
  if (!parsed.success) throw new ContractViolation(`stored cursor for "${stream.name}" no longer matches its schema`);
  return parsed.data;
}

function bump(counts: Partial<Record<RecordKind, number>>, kind: RecordKind): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}
