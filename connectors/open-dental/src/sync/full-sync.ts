import type { RecordKind, SyncContext } from '@sourceline/sdk';
import type { OpenDentalClient } from '../api/open-dental-client.ts';
import type { OpenDentalSettings } from '../settings.ts';
import { emitMappedPage } from './emit-page.ts';
import { readPages } from './read-pages.ts';
import { changeFilterValue, type StampCursor } from './stamp-cursor.ts';
import { mapPage, type MapEnv, type StampedResource } from './stamped-resource.ts';

/**
 * The first pass: every row of the unfiltered listing, page by page, committing the offset with each page so a
 * crash resumes where it stopped. The server time of the pass's first page becomes the next pass's `since`, so
 * anything that changes while this (possibly hours-long) pass runs is read again by the first incremental pass.
 */
export async function runFullSync<K extends RecordKind>(
  ctx: SyncContext<OpenDentalSettings, StampCursor>,
  client: OpenDentalClient,
  resource: StampedResource<K>,
  env: MapEnv,
  start: StampCursor,
): Promise<void> {
  let cursor = start;
  let passStartedAt = start.passStartedAt ?? (resource.serverTimeInRows ? null : await client.serverTime());
  // Re-read a page behind the committed offset on resume: rows deleted meanwhile shift later rows toward the front.
  let offset = Math.max(0, start.offset - (start.offset > 0 ? client.pageSize : 0));
  const seen = new Map(Object.entries(start.seen));

  for await (const page of readPages(client, resource.path, resource.query ?? {}, offset, ctx.signal)) {
    passStartedAt ??= page.serverDateTime ?? (await client.serverTime());
    const mapped = mapPage(resource, page.rows, env);
    await emitMappedPage(ctx, resource, mapped);
    const floor = changeFilterValue(resource.changeFilter ?? 'DateTStamp', passStartedAt, ctx.settings.overlapSeconds, ctx.settings.timeZone);
    // Stamps have one-second resolution: a row stamped in the second this page was read may be written again within
    // that second, keeping its stamp. Only a stamp from a second that had closed identifies what was read.
    const closedBefore = page.serverDateTime ?? passStartedAt;
    for (const row of mapped.stamps) if (row.filterValue >= floor && row.stamp < closedBefore) seen.set(row.id, row.stamp);
    offset += page.rows.length;
    ctx.progress(offset);
    if (page.rows.length < client.pageSize) break;
    cursor = { ...cursor, phase: 'full', offset: Math.max(offset, cursor.offset), passStartedAt, seen: Object.fromEntries(seen) };
    await ctx.cursor.set(cursor);
  }

  await ctx.cursor.set({
    pass: cursor.pass + 1, phase: 'incremental', offset: 0, passStartedAt: null, since: passStartedAt,
    seen: Object.fromEntries(seen), reconciledAt: passStartedAt,
  });
  ctx.log.info('full sync finished', { stream: resource.stream, rows: offset });
}
