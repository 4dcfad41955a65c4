import type { RecordKind, SyncContext } from '@sourceline/sdk';
import { OfficeVersionTooOld, type OpenDentalClient } from '../api/open-dental-client.ts';
import type { OpenDentalSettings } from '../settings.ts';
import { emitMappedPage } from './emit-page.ts';
import { readPages } from './read-pages.ts';
import { reconcileHardDeletes } from './reconcile-deletes.ts';
import { changeFilterValue, hoursBetween, type StampCursor } from './stamp-cursor.ts';
import { mapPage, type MapEnv, type StampedResource } from './stamped-resource.ts';

/**
 * Later passes: rows whose DateTStamp is at or after the last pass's start, minus an overlap window (the filter may
 * be `>` or `>=`, and stamps have one-second resolution). Rows re-read inside the window with an unchanged stamp
 * are not emitted again, so a run over an unchanged office emits nothing. Pages are committed with the old cursor
 * (a crash re-reads the pass: harmless, upserts are idempotent); the new `since` is committed when the pass ends.
 */
export async function runIncrementalSync<K extends RecordKind>(
  ctx: SyncContext<OpenDentalSettings, StampCursor>,
  client: OpenDentalClient,
  resource: StampedResource<K>,
  env: MapEnv,
  cursor: StampCursor,
): Promise<void> {
  const since = cursor.since;
  if (since === null) throw new Error('an incremental pass needs a since time');
  const { overlapSeconds, timeZone } = ctx.settings;
  const filter = resource.changeFilter ?? 'DateTStamp';
  const query = { ...resource.query, [filter]: changeFilterValue(filter, since, overlapSeconds, timeZone) };
  let passStartedAt: string | null = resource.serverTimeInRows ? null : await client.serverTime();
  const fetched = new Map<string, { stamp: string; filterValue: string }>();
  let offset = 0;
  let emitted = 0;

  const pages = readPages(client, resource.path, query, 0, ctx.signal);
  for await (const page of refusedFilterIsNull(pages)) {
    if (page === null) return readWholeListing(ctx, client, resource, env, cursor);
    passStartedAt ??= page.serverDateTime ?? (await client.serverTime());
    const mapped = mapPage(resource, page.rows, env);
    emitted += await emitMappedPage(ctx, resource, mapped, (id, stamp) => stamp !== undefined && cursor.seen[id] === stamp);
    // As in the full pass: a stamp from the second the page was read in may still be reused by a later write.
    const closedBefore = page.serverDateTime ?? passStartedAt;
    for (const row of mapped.stamps) {
      if (row.stamp < closedBefore) fetched.set(row.id, row);
      else fetched.delete(row.id);
    }
    offset += page.rows.length;
    ctx.progress(offset);
    if (page.rows.length < client.pageSize) break;
    await ctx.cursor.set(cursor);
  }

  let reconciledAt = cursor.reconciledAt;
  const reconcileDue = ctx.reason === 'reconcile' || reconciledAt === null || hoursBetween(reconciledAt, passStartedAt ?? since) >= ctx.settings.reconcileEveryHours;
  if (resource.hardDeletes && reconcileDue) {
    reconciledAt = await reconcileHardDeletes(ctx, client, resource, env);
  }

  const nextSince = passStartedAt ?? since;
  const floor = changeFilterValue(filter, nextSince, overlapSeconds, timeZone);
  const seen = Object.fromEntries([...fetched].filter(([, row]) => row.filterValue >= floor).map(([id, row]) => [id, row.stamp]));
  await ctx.cursor.set({ ...cursor, pass: cursor.pass + 1, since: nextSince, seen, reconciledAt });
  ctx.log.info('incremental sync finished', { stream: resource.stream, read: offset, emitted });
}

/** The pages, or a single null when the office refuses the first request as newer than its version. */
async function* refusedFilterIsNull<T>(pages: AsyncIterable<T>): AsyncGenerator<T | null> {
  let first = true;
  try {
    for await (const page of pages) {
      first = false;
      yield page;
    }
  } catch (error) {
    if (!first || !(error instanceof OfficeVersionTooOld)) throw error;
    yield null;
  }
}

/**
 * A pass for an office whose Open Dental predates the endpoint's change filter (`/refattaches` takes DateTStamp from
 * 25.2.10): the whole listing, every row emitted (the platform writes only those whose content changed) and every
 * missing id reconciled as deleted. Each pass asks with the filter first, so an office that updates goes back to
 * reading only changes.
 */
async function readWholeListing<K extends RecordKind>(
  ctx: SyncContext<OpenDentalSettings, StampCursor>,
  client: OpenDentalClient,
  resource: StampedResource<K>,
  env: MapEnv,
  cursor: StampCursor,
): Promise<void> {
  ctx.log.info("the office's Open Dental is older than this endpoint's change filter: reading the whole listing", { stream: resource.stream });
  const listedAt = await reconcileHardDeletes(ctx, client, resource, env, { emitAll: true });
  await ctx.cursor.set({ ...cursor, pass: cursor.pass + 1, since: listedAt, seen: {}, reconciledAt: listedAt });
}
