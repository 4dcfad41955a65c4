import { createHttpClient, FatalError, RetryableError } from '@sourceline/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenDentalSimulator, type OpenDentalSimulator } from '../../simulator/index.ts';
import { fetchOnlyPass } from '../fetch-only.ts';
import { OpenDentalClient } from './open-dental-client.ts';

let sim: OpenDentalSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function clientFor(server: OpenDentalSimulator, customerKey = 'sim-customer-key') {
  return new OpenDentalClient(createHttpClient({ baseBackoffMs: 1, maxAttempts: 4 }), {
    baseUrl: server.baseUrl, developerKey: 'sim-developer-key', customerKey, mode: 'remote',
  });
}

describe('the Open Dental client', () => {
  it('fails fatally with an actionable message when the customer key is rejected', async () => {
    sim = await startOpenDentalSimulator({ seed: 2, patients: 20 });
    const error = await clientFor(sim, 'wrong-key').listPage('patients/Simple', {}, 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/^Open Dental rejected the customer key \(401\) — check Settings → Integrations/);
  });

  it('treats an offline office (400 eConnector) as retryable', async () => {
    sim = await startOpenDentalSimulator({ seed: 2, patients: 20, faults: { officeOffline: true } });
    await expect(clientFor(sim).listPage('patients/Simple', {}, 0)).rejects.toBeInstanceOf(RetryableError);
  });

  it('waits out Retry-After on 429 before trying again', async () => {
    sim = await startOpenDentalSimulator({ seed: 2, patients: 20, mode: 'remote', throttle: 'reject', throttleIntervalMs: 1000 });
    const client = clientFor(sim);
    await client.listPage('providers', {}, 0);
    const started = Date.now();
    await client.listPage('providers', {}, 0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.stats.byStatus[429]).toBe(1);
  });

  it('asks for one more page after a full page and stops at the empty one (exactly 200 rows)', async () => {
    sim = await startOpenDentalSimulator({ seed: 2, patients: 120 });
    sim.state.deleteAppointments(sim.state.tables.appointments.size - 200);
    const before = sim.stats.requests;
    const report = await fetchOnlyPass({ baseUrl: sim.baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', mode: 'remote' }, ['appointments']);
    expect(report.rows.appointments).toBe(200);
    expect(sim.stats.requests - before).toBe(3);
  });

  it('gets undefined for a record Open Dental says is gone', async () => {
    sim = await startOpenDentalSimulator({ seed: 2, patients: 20 });
    const [deleted] = sim.state.deleteAppointments(1);
    expect(await clientFor(sim).getOne('appointments', String(deleted))).toBeUndefined();
  });
});
