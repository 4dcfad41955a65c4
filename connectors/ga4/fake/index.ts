export { startGa4Fake, type Ga4Fake, type Ga4FakeOptions } from './data-api-fake.ts';
export { buildWorldTraffic, type TrafficRow } from './world-traffic.ts';
