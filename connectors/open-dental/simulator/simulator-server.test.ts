import { afterEach, describe, expect, it } from 'vitest';
import { startOpenDentalSimulator, type OpenDentalSimulator } from './index.ts';

let sim: OpenDentalSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const goodAuth = 'ODFHIR sim-developer-key/sim-customer-key';

async function call(path: string, init: { auth?: string | null; contentType?: string | null; method?: string; body?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.auth !== null) headers.authorization = init.auth ?? goodAuth;
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(`${sim!.baseUrl}/${path}`, { method: init.method ?? 'GET', headers, body: init.body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the Open Dental simulator', () => {
  it('checks the ODFHIR header exactly and refuses unknown or disabled keys', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30 });
    expect((await call('patients/Simple', { auth: null })).status).toBe(401);
    expect((await call('patients/Simple', { auth: 'Bearer sim-developer-key/sim-customer-key' })).status).toBe(401);
    expect((await call('patients/Simple', { auth: 'ODFHIR  sim-developer-key/sim-customer-key' })).status).toBe(401);
    expect((await call('patients/Simple', { auth: 'ODFHIR sim-developer-key/nope' })).status).toBe(401);
    expect((await call('patients/Simple', { auth: 'ODFHIR sim-developer-key/sim-disabled-key' })).status).toBe(401);
    expect((await call('patients/Simple')).status).toBe(200);
  });

  it('requires Content-Type: application/json even on GET', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30 });
    expect((await call('providers', { contentType: null })).status).toBe(400);
  });

  it('pages bare arrays of at most 100 items and answers [] past the end', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 150 });
    const first = JSON.parse((await call('patients/Simple?Limit=5000')).text) as unknown[];
    expect(first).toHaveLength(100);
    const end = await call(`patients/Simple?Offset=${sim.state.tables.patients.size}`);
    expect(end).toMatchObject({ status: 200, text: '[]' });
  });

  it('puts serverDateTime first on patients, last on procedures, nowhere on clinics, and "" with ClinicNum on providers', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30 });
    expect((await call('patients/Simple?Limit=1')).text).toMatch(/^\[\{"serverDateTime":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d","PatNum"/);
    expect((await call('procedurelogs?Limit=1')).text).toMatch(/,"serverDateTime":"[^"]+"\}\]$/);
    expect((await call('clinics')).text).not.toContain('serverDateTime');
    expect((await call('providers?ClinicNum=1&Limit=1')).text).toContain('"serverDateTime":""');
  });

  it('rejects a DateTStamp that is not yyyy-MM-dd HH:mm:ss, and filters on its own clock', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30, clockSkewMs: 3_600_000 });
    const bad = await call('patients/Simple?DateTStamp=2024-05-01T08:00:00');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('DateTStamp format must be yyyy-MM-dd HH:mm:ss');
    const [touched] = sim.state.touch('patients', 1);
    const since = sim.clock.nowText();
    const rows = JSON.parse((await call(`patients/Simple?DateTStamp=${encodeURIComponent(since.slice(0, 17) + '00')}`)).text) as { PatNum: number }[];
    expect(rows.map((r) => r.PatNum)).toContain(touched);
  });

  it('hard-deletes appointments (visible only in histappointments) and flips procedures to D', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30 });
    const [aptNum] = sim.state.deleteAppointments(1);
    expect((await call(`appointments/${aptNum}`)).status).toBe(404);
    const hist = JSON.parse((await call(`histappointments?HistApptAction=Deleted&AptNum=${aptNum}`)).text) as unknown[];
    expect(hist).toHaveLength(1);
    const [procNum] = sim.state.deleteProcedures(1);
    const proc = JSON.parse((await call(`procedurelogs/${procNum}`)).text) as { ProcStatus: string; AptNum: number };
    expect(proc).toMatchObject({ ProcStatus: 'D', AptNum: 0 });
  });

  it('throttles per customer key and answers 429 with Retry-After when rejecting', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30, throttle: 'reject', throttleIntervalMs: 5_000 });
    const readAll = 'ODFHIR sim-developer-key/sim-readall-key';
    expect((await call('providers', { auth: readAll })).status).toBe(200);
    const throttled = await call('providers', { auth: readAll });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('providers')).status).toBe(200); // throttling is per customer key
  });

  it('refuses ShortQuery for a Read-All key with 401 and gates methods newer than the office', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30, officeVersion: '24.1.5' });
    const query = await call('queries/ShortQuery', { auth: 'ODFHIR sim-developer-key/sim-readall-key', method: 'PUT', body: '{"SqlCommand":"SELECT 1"}' });
    expect(query.status).toBe(401);
    const gated = await call('refattaches?DateTStamp=2024-01-01%2000:00:00');
    expect(gated.status).toBe(400);
    expect(gated.text).toMatch(/version/i);
  });

  it('answers 400 with an eConnector explanation while the office is offline', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 30, faults: { officeOffline: true } });
    const offline = await call('patients/Simple');
    expect(offline.status).toBe(400);
    expect(offline.text).toMatch(/eConnector/);
  });

  it('serves 1000-row Service pages quickly from cached JSON', async () => {
    sim = await startOpenDentalSimulator({ seed: 1, patients: 5_000, mode: 'service' });
    const started = performance.now();
    for (let offset = 0; offset < 5_000; offset += 1000) await call(`patients/Simple?Offset=${offset}`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
