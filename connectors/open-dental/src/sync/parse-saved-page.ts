import { emitted, type ParseResult, type RawPayload, type RecordKind } from '@sourceline/sdk';
import type { OpenDentalRow } from '../api/open-dental-client.ts';
import type { OpenDentalSettings } from '../settings.ts';
import { mapPage, type StampedResource } from './stamped-resource.ts';

/**
 * Runs a stream's row mapping on a saved API response (a bare JSON array, or one object), offline. Without a time
 * zone setting, date-times are read as UTC and the result says so.
 */
export function parseSavedPage<K extends RecordKind>(
  resource: Pick<StampedResource<K>, 'kind' | 'idField' | 'mapRow' | 'keepRow' | 'stream'>,
  payload: RawPayload,
  settings: Partial<OpenDentalSettings>,
): ParseResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.body);
  } catch (error) {
    return { records: [], issues: [{ record: payload.name, field: '(body)', message: `not JSON: ${(error as Error).message}` }] };
  }
  const rows = (Array.isArray(parsed) ? parsed : [parsed]) as OpenDentalRow[];
  const page = mapPage({ ...resource, path: '', serverTimeInRows: true, hardDeletes: false, description: '' }, rows, {
    timeZone: settings.timeZone ?? 'UTC',
    lookups: new Map(),
  });
  const issues = settings.timeZone ? page.issues : [...page.issues, { record: payload.name, field: '(settings)', message: 'no timeZone given: office date-times were read as UTC' }];
  return { records: page.records.map((record) => emitted(resource.kind, record)), issues };
}
