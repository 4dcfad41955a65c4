import { checkCrashResume, checkIdempotentRerun, checkMonotonicCursors } from '@sourceline/sdk/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openDental from '../src/index.ts';
import { startOpenDentalSimulator, type OpenDentalSimulator } from '../simulator/index.ts';
import { settingsFor, testHttp } from './sync-helpers.ts';

let sim: OpenDentalSimulator;
beforeAll(async () => {
  // Transport faults on; page drift off, so a clean run and a crashed-and-resumed run see the same office.
  sim = await startOpenDentalSimulator({ seed: 21, patients: 260, faults: { rate429: 0.05, retryAfterSeconds: 0, rate500: 0.05 } });
});
afterAll(() => sim.close());

describe('the Open Dental connector keeps the SDK contract', () => {
  for (const stream of openDental.streams.map((s) => s.name)) {
    it(`${stream}: re-running is idempotent, cursors are monotonic, a crash after any batch resumes cleanly`, async () => {
      const options = { connector: openDental, stream, settings: settingsFor(sim), http: testHttp };
      const { second } = await checkIdempotentRerun(options);
      expect(Object.values(second.emitted).reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(0);
      await checkMonotonicCursors({ ...options, runs: 3 });
      await checkCrashResume({ ...options, maxCrashPoints: 4 });
    });
  }
});
