import { createHash } from 'node:crypto';
import { defineStream, type Location, type ParseResult } from '@sourceline/sdk';
import { z } from 'zod';
import { OpenDentalClient } from '../api/open-dental-client.ts';
import type { RowReader } from '../api/row-reader.ts';
import type { OpenDentalSettings } from '../settings.ts';
import { parseSavedPage } from '../sync/parse-saved-page.ts';
import { mapPage, type StampedResource } from '../sync/stamped-resource.ts';

export function mapLocation(r: RowReader): Location | undefined {
  const id = r.id('ClinicNum', true);
  if (id === null) return undefined;
  const abbreviation = r.text('Abbr');
  const line1 = r.text('Address');
  const city = r.text('City');
  return {
    id,
    name: r.text('Description') ?? abbreviation ?? `Clinic ${id}`,
    abbreviation,
    address: line1 || city ? { line1, line2: r.text('Address2'), city, region: r.text('State'), postalCode: r.text('Zip'), country: null } : null,
    phone: r.text('Phone'),
    timeZone: null, // Open Dental keeps clinic.TimeZone but the API does not return it
  };
}

const clinicsResource: StampedResource<'location'> = {
  stream: 'locations', description: '', kind: 'location', path: 'clinics', idField: 'ClinicNum',
  serverTimeInRows: false, hardDeletes: false, mapRow: mapLocation,
};

const LocationsCursor = z.object({ pass: z.number().int().min(0), hashes: z.record(z.string(), z.string()) });
type LocationsCursor = z.infer<typeof LocationsCursor>;

/**
 * Clinics have no change column, so every run lists them all and emits only those whose content changed. Hidden
 * clinics drop out of `/clinics` but records still point at them, so a clinic that disappears is kept, not deleted.
 * An empty list means the office does not use clinics (every ClinicNum is 0).
 */
export const locationsStream = defineStream<OpenDentalSettings, LocationsCursor>({
  name: 'locations',
  description: 'Locations (Open Dental clinics), refreshed in full each run',
  emits: ['location'],
  cursor: { schema: LocationsCursor, compare: (a, b) => a.pass - b.pass },
  defaultIntervalMinutes: 24 * 60,
  async sync(ctx) {
    const client = new OpenDentalClient(ctx.http, ctx.settings);
    const previous = ctx.cursor.get() ?? { pass: 0, hashes: {} };
    const hashes: Record<string, string> = { ...previous.hashes };
    const changed: Location[] = [];
    for (let offset = 0; ; ) {
      const page = await client.listPage('clinics', {}, offset);
      const mapped = mapPage(clinicsResource, page.rows, { timeZone: ctx.settings.timeZone, lookups: new Map() });
      for (const location of mapped.records) {
        const hash = createHash('sha256').update(JSON.stringify(location)).digest('base64url').slice(0, 16);
        if (hashes[location.id] !== hash) changed.push(location);
        hashes[location.id] = hash;
      }
      offset += page.rows.length;
      if (page.rows.length < client.pageSize) break;
    }
    if (changed.length > 0) await ctx.emit('location', changed);
    await ctx.cursor.set({ pass: previous.pass + 1, hashes });
    ctx.log.info('locations refreshed', { changed: changed.length, known: Object.keys(hashes).length });
  },
  parse(payload, settings): ParseResult {
    return parseSavedPage(clinicsResource, payload, settings);
  },
});
