/**
 * Rough local measurement of connector overhead: a fetch-only pass vs a sync of patients and procedures through the
 * test kit's in-memory runner, against a simulator in service mode (1000-row pages).
 *   pnpm tsx connectors/open-dental/scripts/measure-sync.ts [patients]
 * `pnpm bench sync` is the real benchmark (through the platform's sync engine); this isolates the connector.
 */
import { generateWorld, MemoryStore, runStream } from '@sourceline/sdk/testkit';
import openDental, { fetchOnlyPass } from '../src/index.ts';
import { startOpenDentalSimulator } from '../simulator/index.ts';

const patients = Number(process.argv[2] ?? 50_000);
const world = generateWorld({ seed: 1, practices: [{ name: 'Bench Dental', timeZone: 'America/Chicago', locations: 3, patients, months: 13 }] });
const sim = await startOpenDentalSimulator({ world, mode: 'service' });
const settings = { baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', mode: 'service' as const, timeZone: 'America/Chicago' };
try {
  for (let round = 1; round <= 3; round++) {
    const fetchOnly = await fetchOnlyPass(settings, ['patients/Simple', 'procedurelogs']);
    const started = performance.now();
    const store = new MemoryStore();
    for (const stream of ['patients', 'procedures']) await runStream({ connector: openDental, stream, settings, store, validate: false });
    const sync = performance.now() - started;
    process.stdout.write(`round ${round}: fetch-only ${Math.round(fetchOnly.elapsedMs)} ms (${JSON.stringify(fetchOnly.rows)}), sync ${Math.round(sync)} ms, ratio ${(sync / fetchOnly.elapsedMs).toFixed(2)}\n`);
  }
} finally {
  await sim.close();
}
