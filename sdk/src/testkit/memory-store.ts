import type { RecordKind, RecordOf } from '../records/index.ts';

interface StoredRecord {
  record: unknown;
  /** The serialized record, so re-emitting an unchanged record can be told apart from a real change. */
  json: string;
  deleted: boolean;
}

/**
 * What the platform's database would hold for one connection, kept in memory: records upserted by (kind, id),
 * deletions as tombstones, and each stream's committed cursor. The in-memory runner writes to it only at commits.
 */
export class MemoryStore {
  private readonly byKind = new Map<RecordKind, Map<string, StoredRecord>>();
  private readonly cursors = new Map<string, unknown>();
  commits = 0;

  /** Upserts; returns true if the record is new or differs from what was stored. */
  upsert(kind: RecordKind, id: string, record: unknown, json: string): boolean {
    const table = this.table(kind);
    const existing = table.get(id);
    if (existing && !existing.deleted && existing.json === json) return false;
    table.set(id, { record, json, deleted: false });
    return true;
  }

  markDeleted(kind: RecordKind, id: string): boolean {
    const existing = this.table(kind).get(id);
    if (!existing || existing.deleted) return false;
    existing.deleted = true;
    return true;
  }

  isLive(kind: RecordKind, id: string): boolean {
    const existing = this.table(kind).get(id);
    return existing !== undefined && !existing.deleted;
  }

  liveIds(kind: RecordKind): string[] {
    return [...this.table(kind)].filter(([, r]) => !r.deleted).map(([id]) => id);
  }

  /** Live records of a kind, ordered by id, for assertions. */
  records<K extends RecordKind>(kind: K): RecordOf<K>[] {
    return [...this.table(kind)]
      .filter(([, r]) => !r.deleted)
      .sort(([a], [b]) => compareIds(a, b))
      .map(([, r]) => r.record as RecordOf<K>);
  }

  get<K extends RecordKind>(kind: K, id: string): RecordOf<K> | undefined {
    const stored = this.table(kind).get(id);
    return stored && !stored.deleted ? (stored.record as RecordOf<K>) : undefined;
  }

  count(kind: RecordKind): number {
    let live = 0;
    for (const r of this.table(kind).values()) if (!r.deleted) live++;
    return live;
  }

  /** A stable serialization of every live record and cursor: two stores with equal snapshots hold the same data. */
  snapshot(): string {
    const kinds = [...this.byKind.keys()].sort();
    const parts: string[] = [];
    for (const kind of kinds) {
      const rows = [...this.table(kind)].filter(([, r]) => !r.deleted).sort(([a], [b]) => compareIds(a, b));
      parts.push(`${kind}:${rows.map(([id, r]) => `${id}=${r.json}`).join('\n')}`);
    }
    return parts.join('\n--\n');
  }

  getCursor(stream: string): unknown {
    return this.cursors.get(stream);
  }

  setCursor(stream: string, cursor: unknown): void {
    this.cursors.set(stream, structuredClone(cursor));
  }

  private table(kind: RecordKind): Map<string, StoredRecord> {
    let table = this.byKind.get(kind);
    if (!table) {
      table = new Map();
      this.byKind.set(kind, table);
    }
    return table;
  }
}

/** Numeric ids sort numerically, others lexically, so snapshots read naturally. */
export function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isSafeInteger(na) && Number.isSafeInteger(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
