export { startOpenDentalSimulator, type OpenDentalSimulator, type SimulatorStats } from './simulator-server.ts';
export { SimulatorState, type TableName } from './simulator-state.ts';
export { ServerClock } from './server-clock.ts';
export { defaultKeys, noFaults, typicalFaults, type SimulatorFaults, type SimulatorKey, type SimulatorOptions, type ApiMode } from './simulator-options.ts';
