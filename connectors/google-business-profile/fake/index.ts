export { startGbpFake, type GbpFake, type GbpFakeOptions } from './performance-api-fake.ts';
export { buildWorldListings, expectedMetric, type WorldListing } from './world-metrics.ts';
