import type { Provider } from '@sourceline/sdk';
import type { RowReader } from '../api/row-reader.ts';
import { createStampedStream } from '../sync/stamped-stream.ts';
import type { StampedResource } from '../sync/stamped-resource.ts';

export function mapProvider(r: RowReader): Provider | undefined {
  const id = r.id('ProvNum', true);
  if (id === null) return undefined;
  return {
    id,
    abbreviation: r.text('Abbr'),
    firstName: r.text('FName'),
    lastName: r.text('LName'),
    // IsSecondary "true" is Open Dental's way of saying hygienist.
    role: r.bool('IsNotPerson') ? 'other' : r.bool('IsSecondary') ? 'hygienist' : 'dentist',
    isActive: r.text('ProvStatus') !== 'Deleted' && !r.bool('IsHidden'),
    npi: r.text('NationalProvID'),
  };
}

export const providersResource: StampedResource<'provider'> = {
  stream: 'providers',
  description: 'Providers (dentists and hygienists); never deleted, only hidden or marked Deleted',
  kind: 'provider',
  path: 'providers',
  idField: 'ProvNum',
  serverTimeInRows: true,
  hardDeletes: false,
  mapRow: mapProvider,
};

export const providersStream = createStampedStream(providersResource);
