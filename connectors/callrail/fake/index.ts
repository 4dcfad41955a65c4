export { startCallRailFake, type CallRailFake, type CallRailFakeOptions } from './callrail-api-fake.ts';
export { buildWorldCalls, callIdOf, isoWithOffset, type WorldCall } from './world-calls.ts';
export { renderCallRailDeliveries, type CallRailDelivery } from './render-webhooks.ts';
