import type { RecordKind, SyncContext } from '@sourceline/sdk';
import type { OpenDentalSettings } from '../settings.ts';
import type { StampCursor } from './stamp-cursor.ts';
import type { MappedPage, StampedResource } from './stamped-resource.ts';

/** Emits a mapped page, logging unusable rows by id and field only. */
export async function emitMappedPage<K extends RecordKind>(
  ctx: SyncContext<OpenDentalSettings, StampCursor>,
  resource: StampedResource<K>,
  page: MappedPage<K>,
  skip?: (id: string, stamp: string | undefined) => boolean,
): Promise<number> {
  let records = page.records;
  if (skip) {
    const stamps = new Map(page.stamps.map((s) => [s.id, s.stamp]));
    records = records.filter((r) => !skip(r.id, stamps.get(r.id)));
  }
  if (records.length > 0) await ctx.emit(resource.kind, records);
  for (const issue of page.issues.slice(0, 20)) {
    ctx.log.warn('skipped an unusable Open Dental row', { stream: resource.stream, record: issue.record, field: issue.field, problem: issue.message });
  }
  if (page.issues.length > 20) ctx.log.warn('more unusable rows', { stream: resource.stream, count: page.issues.length - 20 });
  return records.length;
}
