import { defineStream, type ParseResult, type RawPayload, type RecordKind, type StreamDefinition } from '@sourceline/sdk';
import { OpenDentalClient } from '../api/open-dental-client.ts';
import type { OpenDentalSettings } from '../settings.ts';
import { runFullSync } from './full-sync.ts';
import { runIncrementalSync } from './incremental-sync.ts';
import { parseSavedPage } from './parse-saved-page.ts';
import { compareStampCursors, initialCursor, StampCursor } from './stamp-cursor.ts';
import type { MapEnv, StampedResource } from './stamped-resource.ts';

/** A stream over one DateTStamp endpoint: a full pass first, incremental passes after, the same row mapping for both. */
export function createStampedStream<K extends RecordKind>(resource: StampedResource<K>): StreamDefinition<OpenDentalSettings, StampCursor> {
  return defineStream<OpenDentalSettings, StampCursor>({
    name: resource.stream,
    description: resource.description,
    emits: [resource.kind],
    cursor: { schema: StampCursor, compare: compareStampCursors },
    defaultIntervalMinutes: 15,
    async sync(ctx) {
      const client = new OpenDentalClient(ctx.http, ctx.settings);
      const env: MapEnv = { timeZone: ctx.settings.timeZone, lookups: (await resource.loadLookups?.(client)) ?? new Map() };
      const cursor = ctx.cursor.get() ?? initialCursor;
      if (cursor.phase === 'full') await runFullSync(ctx, client, resource, env, cursor);
      else await runIncrementalSync(ctx, client, resource, env, cursor);
    },
    parse(payload: RawPayload, settings: Partial<OpenDentalSettings>): ParseResult {
      return parseSavedPage(resource, payload, settings);
    },
  });
}
