import type { RecordKind, SyncContext } from '@sourceline/sdk';
import type { OpenDentalClient, OpenDentalRow } from '../api/open-dental-client.ts';
import type { OpenDentalSettings } from '../settings.ts';
import { emitMappedPage } from './emit-page.ts';
import { readPages } from './read-pages.ts';
import type { StampCursor } from './stamp-cursor.ts';
import { mapPage, type MapEnv, type StampedResource } from './stamped-resource.ts';

/**
 * Hard-delete detection. Open Dental deletes appointment and refattach rows outright and no DateTStamp feed shows
 * it, so now and then (and on every nightly reconcile) the connector lists every id and lets the platform mark the
 * missing ones deleted. Ids the platform never saw (a row a page shift hid from an earlier pass) are emitted from the
 * same listing. A resource whose change filter is an entry date (payments) cannot see later edits incrementally, so
 * the nightly reconcile emits every listed row of it: the platform writes only those whose content changed (other
 * runs keep "nothing changed, nothing emitted"); so does every pass of an office too old for the resource's change
 * filter (`emitAll`). Returns the server time the listing started at.
 */
export async function reconcileHardDeletes<K extends RecordKind>(
  ctx: SyncContext<OpenDentalSettings, StampCursor>,
  client: OpenDentalClient,
  resource: StampedResource<K>,
  env: MapEnv,
  options: { emitAll?: boolean } = {},
): Promise<string> {
  const startedAt = await client.serverTime();
  const rowsById = new Map<string, OpenDentalRow>();
  let shortPageSeen = false;
  let warned = false;
  for await (const page of readPages(client, resource.path, resource.query ?? {}, 0, ctx.signal, { confirmEnd: true })) {
    // Rows after a short page: the office's pages are smaller than the setting, which other listings take as the end.
    if (page.rows.length > 0 && shortPageSeen && !warned) {
      ctx.log.warn('the office serves smaller pages than the pageSize setting: lower it, or changes may be read late', { stream: resource.stream, pageSize: client.pageSize });
      warned = true;
    }
    if (page.rows.length < client.pageSize) shortPageSeen = true;
    for (const row of page.rows) {
      if (resource.keepRow && !resource.keepRow(row)) continue;
      const id = row[resource.idField];
      if (typeof id === 'number' || typeof id === 'string') rowsById.set(String(id), row);
    }
  }
  const result = await ctx.reconcile(resource.kind, rowsById.keys());
  const editsUnstamped = options.emitAll === true || (ctx.reason === 'reconcile' && resource.changeFilter === 'DateEntry');
  const toEmit = editsUnstamped ? [...rowsById.values()] : result.unknown.map((id) => rowsById.get(id)).filter((row): row is OpenDentalRow => row !== undefined);
  if (toEmit.length > 0) await emitMappedPage(ctx, resource, mapPage(resource, toEmit, env));
  ctx.log.info('reconciled hard deletes', {
    stream: resource.stream, listed: rowsById.size, deleted: result.deleted.length, recovered: result.unknown.length, reread: editsUnstamped ? toEmit.length : 0,
  });
  return startedAt;
}
