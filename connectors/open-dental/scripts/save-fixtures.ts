/**
 * Saves real simulator responses as fixtures (`pnpm tsx scripts/save-fixtures.ts`), then appends the hand-written
 * quirk rows in fixtures/quirks/*.json that Open Dental's documentation shows and a seeded world rarely produces.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { startOpenDentalSimulator } from '../simulator/index.ts';

const sim = await startOpenDentalSimulator({ seed: 7, patients: 40, months: 6 });
const endpoints = { 'patients-simple': 'patients/Simple', appointments: 'appointments', procedurelogs: 'procedurelogs', payments: 'payments', providers: 'providers', clinics: 'clinics', refattaches: 'refattaches' };
const fixturesDir = new URL('../fixtures/', import.meta.url);
try {
  for (const [name, path] of Object.entries(endpoints)) {
    const response = await fetch(`${sim.baseUrl}/${path}?Limit=6`, {
      headers: { authorization: 'ODFHIR sim-developer-key/sim-customer-key', 'content-type': 'application/json' },
    });
    const rows = (await response.json()) as unknown[];
    let quirks: unknown[] = [];
    try {
      quirks = JSON.parse(await readFile(new URL(`quirks/${name}.json`, fixturesDir), 'utf8')) as unknown[];
    } catch {
      quirks = [];
    }
    await writeFile(new URL(`${name}.json`, fixturesDir), `${JSON.stringify([...rows, ...quirks], null, 1)}\n`);
  }
} finally {
  await sim.close();
}
