import type { ParseIssue, RecordKind, RecordOf } from '@sourceline/sdk';
import type { OpenDentalClient, OpenDentalRow } from '../api/open-dental-client.ts';
import { RowReader } from '../api/row-reader.ts';

/** Context a row mapping may need: the office zone, and lookups loaded once per run (e.g. referral names). */
export interface MapEnv {
  timeZone: string;
  lookups: ReadonlyMap<string, OpenDentalRow>;
}

/** One Open Dental list endpoint with a DateTStamp filter, and how its rows become canonical records. */
export interface StampedResource<K extends RecordKind> {
  stream: string;
  description: string;
  kind: K;
  /** Path under /api/v1 (e.g. `patients/Simple`). */
  path: string;
  idField: string;
  /** Fixed query parameters for every request. */
  query?: Readonly<Record<string, string>>;
  /** False when the endpoint omits serverDateTime (refattaches): the pass then asks the server's clock first. */
  serverTimeInRows: boolean;
  /** Rows that are not this stream's business (e.g. RefTo attachments) are skipped, not emitted. */
  keepRow?(row: OpenDentalRow): boolean;
  mapRow(reader: RowReader, env: MapEnv): RecordOf<K> | undefined;
  /** Loads lookups once per run (e.g. the referral table). */
  loadLookups?(client: OpenDentalClient): Promise<Map<string, OpenDentalRow>>;
  /** The endpoint hard-deletes rows, so deletions are found by listing every id now and then. */
  hardDeletes: boolean;
  /**
   * The change filter the endpoint accepts: `DateTStamp` (a server date-time) on most; `/payments` only has the
   * date-only `DateEntry`. Defaults to DateTStamp.
   */
  changeFilter?: 'DateTStamp' | 'DateEntry';
  /** The column that changes on every write (DateTStamp; SecDateTEdit on payments). */
  stampField?: string;
}

export interface RowStamp {
  id: string;
  /** The row's DateTStamp (or SecDateTEdit): changes on every write. */
  stamp: string;
  /** The value the change filter compares (DateTStamp, or DateEntry for payments). */
  filterValue: string;
}

export interface MappedPage<K extends RecordKind> {
  records: RecordOf<K>[];
  issues: ParseIssue[];
  /** Every usable row's id, change stamp and change-filter value (for the overlap window). */
  stamps: RowStamp[];
}

/** Maps one page of rows. Unusable rows become issues (the run logs their count and ids, never their content). */
export function mapPage<K extends RecordKind>(resource: StampedResource<K>, rows: readonly OpenDentalRow[], env: MapEnv): MappedPage<K> {
  const records: RecordOf<K>[] = [];
  const issues: ParseIssue[] = [];
  const stamps: RowStamp[] = [];
  const stampField = resource.stampField ?? 'DateTStamp';
  const filterField = resource.changeFilter ?? 'DateTStamp';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      issues.push({ record: `item ${i}`, field: '(row)', message: 'expected an object' });
      continue;
    }
    if (resource.keepRow && !resource.keepRow(row)) continue;
    const id = row[resource.idField];
    const reader = new RowReader(row, `${resource.idField} ${typeof id === 'number' || typeof id === 'string' ? id : `(item ${i})`}`, issues);
    const record = resource.mapRow(reader, env);
    if (record && reader.ok) {
      records.push(record);
      const stamp = row[stampField];
      const filterValue = row[filterField];
      if (typeof stamp === 'string' && stamp !== '' && typeof filterValue === 'string') stamps.push({ id: record.id, stamp, filterValue });
    }
  }
  return { records, issues, stamps };
}
