import { lastNames, femaleFirstNames, maleFirstNames, streetNames, streetSuffixes } from './name-tables.ts';
import type { Region } from './places.ts';
import type { Random } from './random.ts';
import type { DemoAddress, DemoLocation, DemoProvider, PracticeSpec } from './types.ts';

const locationNames = ['Downtown', 'Eastside', 'Westside', 'Northgate', 'Southpoint', 'Riverside', 'Hillcrest', 'Lakeview'];

export function buildLocations(rng: Random, spec: PracticeSpec, region: Region): DemoLocation[] {
  const names = typeof spec.locations === 'number'
    ? Array.from({ length: spec.locations }, (_, i) => locationNames[i % locationNames.length]! + (i >= locationNames.length ? ` ${i + 1}` : ''))
    : [...spec.locations];
  return names.map((name, i) => ({
    id: i + 1,
    name: `${spec.name} ${name}`,
    abbr: name.replace(/[^A-Za-z0-9]/g, '').slice(0, 8),
    address: randomAddress(rng, region),
    phone: `${region.areaCodes[0]}555${String(100 + i).padStart(4, '0')}`,
    isHidden: false,
  }));
}

/** Dentists and hygienists for each location (or for the practice when it does not use clinics). */
export function buildProviders(rng: Random, spec: PracticeSpec, locationIds: readonly number[]): DemoProvider[] {
  const providers: DemoProvider[] = [];
  const perLocation = spec.dentistsPerLocation ?? 2;
  for (const locationId of locationIds.length > 0 ? locationIds : [0]) {
    for (let i = 0; i < perLocation * 2; i++) {
      const role = i < perLocation ? 'dentist' : 'hygienist';
      const first = rng.pick(rng.chance(0.5) ? femaleFirstNames : maleFirstNames).name;
      const last = rng.pick(lastNames);
      const id = providers.length + 1;
      providers.push({
        id,
        abbr: `${role === 'dentist' ? 'DR' : 'HYG'}${last.replace(/[^A-Za-z]/g, '').slice(0, 3).toUpperCase()}${id}`,
        firstName: first,
        lastName: last,
        role,
        npi: `1${String(rng.int(0, 999_999_999)).padStart(9, '0')}`,
        locationId,
        status: 'Active',
      });
    }
  }
  return providers;
}

export function randomAddress(rng: Random, region: Region): DemoAddress {
  const place = rng.pick(region.cities);
  return {
    line1: `${rng.int(10, 9999)} ${rng.pick(streetNames)} ${rng.pick(streetSuffixes)}`,
    line2: rng.chance(0.12) ? `Apt ${rng.int(1, 40)}${rng.pick(['', 'A', 'B'])}` : '',
    city: place.city,
    state: region.state,
    zip: `${place.zipPrefix}${String(rng.int(1, 99)).padStart(2, '0')}`,
  };
}
