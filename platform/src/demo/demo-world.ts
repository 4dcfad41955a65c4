import type { WorldSpec } from '@sourceline/sdk/testkit';

/**
 * The demo agency's practices: one multi-location group and two single offices, 18 months of history each. `scale`
 * shrinks every practice's patients (and with them its visits and leads) alike, same months and shape: the product
 * seeds the whole demo, tests a fraction they can wait for.
 */
export function demoWorldSpec(asOf: string, scale = 1): WorldSpec {
  const patients = (full: number) => Math.max(1, Math.round(full * scale));
  return {
    seed: 2026,
    asOf,
    practices: [
      { name: 'Desert Bloom Dentistry', timeZone: 'America/Phoenix', locations: ['Scottsdale', 'Tempe', 'Mesa'], patients: patients(2_400), months: 18 },
      { name: 'Buckeye Family Dental', timeZone: 'America/New_York', locations: 1, patients: patients(1_200), months: 18 },
      { name: 'Silver State Smiles', timeZone: 'America/Los_Angeles', locations: 1, patients: patients(900), months: 18 },
    ],
  };
}

export const DEMO_AGENCY_NAME = 'Brightline Dental Marketing (demo)';
