import type { SyncReason } from '@sourceline/sdk';
import { MemoryStore, runStream, type RunReport } from '@sourceline/sdk/testkit';
import openDental from '../src/index.ts';
import type { OpenDentalSimulator } from '../simulator/index.ts';

export const simulatorKeys = { developerKey: 'sim-developer-key', customerKey: 'sim-customer-key' } as const;

export function settingsFor(sim: OpenDentalSimulator, overrides: Record<string, unknown> = {}) {
  return { baseUrl: sim.baseUrl, ...simulatorKeys, timeZone: sim.clock.timeZone, reconcileEveryHours: 0, ...overrides };
}

/** Fast back-off for tests: the simulator's faults are retried within milliseconds, not seconds. */
export const testHttp = { baseBackoffMs: 2, maxBackoffMs: 20, maxAttempts: 8 } as const;

/** Runs every stream once, in the order the platform schedules them, into one store. */
export async function syncAllStreams(
  sim: OpenDentalSimulator,
  store: MemoryStore,
  overrides: Record<string, unknown> = {},
  reason: SyncReason = 'schedule',
): Promise<Record<string, RunReport>> {
  const reports: Record<string, RunReport> = {};
  for (const stream of openDental.streams) {
    reports[stream.name] = await runStream({ connector: openDental, stream: stream.name, settings: settingsFor(sim, overrides), store, http: testHttp, reason });
  }
  return reports;
}

export function totalEmitted(reports: Record<string, RunReport>): number {
  return Object.values(reports).reduce((sum, r) => sum + Object.values(r.emitted).reduce<number>((a, b) => a + (b ?? 0), 0), 0);
}

export { MemoryStore };
