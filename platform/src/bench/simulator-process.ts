import { startOpenDentalSimulator } from '@sourceline/connector-open-dental/simulator';
import { generateWorld } from '@sourceline/sdk/testkit';

/**
 * The benchmark's Open Dental office, in its own process: a real office is another machine, so its JSON rendering
 * must not share the event loop whose sync is being measured. Started with IPC by `bench sync`.
 */
const patients = Number(process.argv[2] ?? 50_000);
const world = generateWorld({ seed: 1, practices: [{ name: 'Bench Dental', timeZone: 'America/Chicago', locations: 3, patients, months: 14 }] });
const sim = await startOpenDentalSimulator({ world, mode: 'service' });
process.send!({ baseUrl: sim.baseUrl });
process.on('message', async (message: string) => {
  if (message === 'close') {
    await sim.close();
    process.exit(0);
  }
});
