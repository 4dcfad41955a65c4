import type { RecordKind, SyncContext } from '@sourceline/sdk';
import type { OpenDentalSettings } from '../settings.ts';
import type { StampCursor } from './stamp-cursor.ts';
import type { MappedPage, StampedResource } from './stamped-resource.ts';

/** Emits a mapped page and reports unusable rows to the platform, by id and field only. */
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
  if (page.issues.length > 0) {
    ctx.reject(page.issues);
    ctx.log.warn('skipped unusable Open Dental rows', { stream: resource.stream, count: page.issues.length });
  }
  return records.length;
}
