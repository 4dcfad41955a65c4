import type { OpenDentalRow } from '@sourceline/sdk/testkit';

/** Where a resource puts `serverDateTime` in each element, as the real endpoints do (or not at all). */
export type ServerTimePosition = 'first' | 'last' | 'none';

/**
 * One Open Dental table held in primary-key order, with each row's JSON cached so large pages are served by string
 * concatenation. Mutations go through `upsert`/`remove` so the cache and the stamp index stay right.
 */
export class Table {
  private rows: OpenDentalRow[] = [];
  private readonly byId = new Map<number, OpenDentalRow>();
  private readonly json = new Map<number, string>();
  /** Bumped on every change; caches of filtered views key on it. */
  version = 0;

  constructor(
    readonly name: string,
    readonly idField: string,
    readonly stampField: string | null,
    readonly serverTime: ServerTimePosition,
    rows: readonly OpenDentalRow[],
  ) {
    this.rows = [...rows].sort((a, b) => this.idOf(a) - this.idOf(b));
    for (const row of this.rows) this.byId.set(this.idOf(row), row);
  }

  get size(): number {
    return this.rows.length;
  }

  all(): readonly OpenDentalRow[] {
    return this.rows;
  }

  get(id: number): OpenDentalRow | undefined {
    return this.byId.get(id);
  }

  nextId(): number {
    const last = this.rows.at(-1);
    return last ? this.idOf(last) + 1 : 1;
  }

  idOf(row: OpenDentalRow): number {
    return Number(row[this.idField]);
  }

  upsert(row: OpenDentalRow): void {
    const id = this.idOf(row);
    const existing = this.byId.get(id);
    if (existing) {
      Object.assign(existing, row);
    } else {
      this.byId.set(id, row);
      if (this.rows.length === 0 || id > this.idOf(this.rows.at(-1)!)) this.rows.push(row);
      else this.rows.splice(this.indexAtOrAfter(id), 0, row);
    }
    this.json.delete(id);
    this.version++;
  }

  remove(id: number): boolean {
    if (!this.byId.delete(id)) return false;
    this.rows.splice(this.indexAtOrAfter(id), 1);
    this.json.delete(id);
    this.version++;
    return true;
  }

  /** The element as the API sends it, with `serverDateTime` where this endpoint puts it. */
  element(row: OpenDentalRow, serverDateTime: string, position: ServerTimePosition = this.serverTime): string {
    const id = this.idOf(row);
    let inner = this.json.get(id);
    if (inner === undefined) {
      inner = JSON.stringify(row).slice(1, -1);
      this.json.set(id, inner);
    }
    if (position === 'first') return `{"serverDateTime":"${serverDateTime}",${inner}}`;
    if (position === 'last') return `{${inner},"serverDateTime":"${serverDateTime}"}`;
    return `{${inner}}`;
  }

  private indexAtOrAfter(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.idOf(this.rows[mid]!) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
