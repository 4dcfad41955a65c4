import { runStream } from '@sourceline/sdk/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import openDental from '../src/index.ts';
import { startOpenDentalSimulator, typicalFaults, type OpenDentalSimulator } from '../simulator/index.ts';
import { simulatorDigests, storeDigests } from './simulator-truth.ts';
import { MemoryStore, settingsFor, syncAllStreams, testHttp, totalEmitted } from './sync-helpers.ts';

let sim: OpenDentalSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A flaky, drifting office: 429s, 500s, slow pages, rows changing between pages, and a clock 7 minutes behind ours. */
async function startFaultySimulator(): Promise<OpenDentalSimulator> {
  return startOpenDentalSimulator({ seed: 11, patients: 350, faults: typicalFaults, clockSkewMs: -7 * 60_000 });
}

describe('syncing an Open Dental office through the in-memory runner', () => {
  it('ends with exactly the simulator’s data despite faults, and a run without changes emits nothing', async () => {
    sim = await startFaultySimulator();
    const store = new MemoryStore();
    await syncAllStreams(sim, store);
    // Rows that changed while the first sync paged through them are picked up by the next incremental pass.
    sim.setFaults({ churnPerPage: 0 });
    // A stamp from the second a page was read in is not trusted (a later write may reuse it): let that second close.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await syncAllStreams(sim, store);
    expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
    expect(sim.stats.byStatus[429]).toBeGreaterThan(0);
    expect(sim.stats.byStatus[500]).toBeGreaterThan(0);

    const quiet = await syncAllStreams(sim, store);
    expect(totalEmitted(quiet)).toBe(0);
  });

  it('resumes after a crash mid-sync without gaps or duplicates', async () => {
    sim = await startFaultySimulator();
    sim.setFaults({ churnPerPage: 0 });
    const store = new MemoryStore();
    const settings = settingsFor(sim);
    const crashed = await runStream({ connector: openDental, stream: 'procedures', settings, store, http: testHttp, crashAfterCommits: 7 });
    expect(crashed.crashed).toBe(true);
    expect(store.count('procedure')).toBeGreaterThan(0);
    expect(store.count('procedure')).toBeLessThan(sim.state.tables.procedurelogs.size);

    const resumed = await runStream({ connector: openDental, stream: 'procedures', settings, store, http: testHttp });
    // Only the lost batch and one page re-read behind the committed offset are fetched again.
    expect(resumed.emitted.procedure ?? 0).toBeLessThanOrEqual(sim.state.tables.procedurelogs.size - 7 * 100 + 200);
    await syncAllStreams(sim, store);
    expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
  });

  it('propagates deletes: hard-deleted appointments and referrals, procedures set to D, patients marked Deleted', async () => {
    sim = await startFaultySimulator();
    sim.setFaults({ churnPerPage: 0 });
    const store = new MemoryStore();
    await syncAllStreams(sim, store);

    const goneAppointments = sim.state.deleteAppointments(4);
    const goneReferrals = sim.state.deleteRefAttaches(2);
    const deletedProcedures = sim.state.deleteProcedures(3);
    const deletedPatients = sim.state.deletePatients(2);
    const visit = sim.state.addPatientVisit();
    await syncAllStreams(sim, store);

    for (const id of goneAppointments) expect(store.get('appointment', String(id))).toBeUndefined();
    for (const id of goneReferrals) expect(store.get('referral-source', String(id))).toBeUndefined();
    for (const id of deletedProcedures) expect(store.get('procedure', String(id))?.status).toBe('deleted');
    for (const id of deletedPatients) expect(store.get('patient', String(id))?.status).toBe('deleted');
    expect(store.get('appointment', String(visit.aptNum))?.isNewPatient).toBe(true);
    expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
  });

  it('keeps referral sources current for an office older than the refattaches change filter (25.2.10)', async () => {
    sim = await startOpenDentalSimulator({ seed: 5, patients: 120, officeVersion: '24.4.1' });
    const store = new MemoryStore();
    await syncAllStreams(sim, store);
    const refattaches = sim.state.tables.refattaches;
    const [first] = refattaches.all();
    const added = { ...first!, RefAttachNum: refattaches.nextId(), PatNum: sim.state.addPatientVisit().patNum, DateTStamp: sim.clock.nowText() };
    refattaches.upsert(added);
    const gone = sim.state.deleteRefAttaches(2);

    const reports = await syncAllStreams(sim, store);
    expect(reports['referral-sources']!.deleted['referral-source']).toBe(2);
    expect(store.get('referral-source', String(added.RefAttachNum))).toBeDefined();
    for (const id of gone) expect(store.get('referral-source', String(id))).toBeUndefined();
    expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
    // Every pass asks with the filter first: the office refused it, and the pass read the whole listing instead.
    expect(sim.stats.byStatus[400]).toBeGreaterThan(0);
    // Over an unchanged office every row is emitted again, and none is new or different: nothing is written.
    const quiet = (await syncAllStreams(sim, store))['referral-sources']!;
    expect(quiet.emitted['referral-source']).toBe(store.count('referral-source'));
    expect(quiet.changed['referral-source'] ?? 0).toBe(0);
  });

  it('the nightly reconcile catches what incremental passes cannot: an old payment edited, deletes between reconciles', async () => {
    sim = await startOpenDentalSimulator({ seed: 8, patients: 150 });
    const store = new MemoryStore();
    const rarely = { reconcileEveryHours: 24 * 30 };
    await syncAllStreams(sim, store, rarely);
    await syncAllStreams(sim, store, rarely);

    // A payment entered months ago is corrected today: its DateEntry stays, so no incremental filter reaches it.
    const payments = sim.state.tables.payments;
    const old = payments.all().reduce((a, b) => (String(a.DateEntry) <= String(b.DateEntry) ? a : b));
    const payNum = payments.idOf(old);
    payments.upsert({ PayNum: payNum, PayAmt: '1234.5', SecDateTEdit: sim.clock.nowText() });
    const gone = sim.state.deleteAppointments(2);

    const scheduled = await syncAllStreams(sim, store, rarely);
    expect(totalEmitted(scheduled)).toBe(0);
    expect(store.get('payment', String(payNum))?.amountCents).not.toBe(123_450);
    for (const id of gone) expect(store.get('appointment', String(id))).toBeDefined();

    await syncAllStreams(sim, store, rarely, 'reconcile');
    expect(store.get('payment', String(payNum))?.amountCents).toBe(123_450);
    for (const id of gone) expect(store.get('appointment', String(id))).toBeUndefined();
    expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
  });

  it('marks nothing deleted when the office serves smaller pages than the pageSize setting, and recovers what it lists', async () => {
    sim = await startOpenDentalSimulator({ seed: 9, patients: 150 });
    const store = new MemoryStore();
    // Remote serves 100 rows a page; a key wrongly set up as Enterprise asks for 1000 and takes 100 as the end.
    const tooLarge = { pageSize: 1000 };
    await syncAllStreams(sim, store, tooLarge);
    const office = simulatorDigests(sim);
    expect(storeDigests(store, sim.clock.timeZone).appointment).not.toEqual(office.appointment);
    const reconcile = await syncAllStreams(sim, store, tooLarge, 'reconcile');
    // The delete-deciding listing reads on to an empty page: nothing is taken for deleted, the missed rows land.
    expect(Object.values(reconcile).reduce((n, r) => n + Object.values(r.deleted).reduce<number>((a, b) => a + (b ?? 0), 0), 0)).toBe(0);
    const stored = storeDigests(store, sim.clock.timeZone);
    for (const kind of ['appointment', 'payment', 'referral-source'] as const) expect(stored[kind], kind).toEqual(office[kind]);
  });

  it('does not miss changes when the office clock runs hours ahead or behind ours', async () => {
    for (const skew of [-5 * 3_600_000, 3 * 3_600_000]) {
      sim = await startOpenDentalSimulator({ seed: 5, patients: 120, clockSkewMs: skew });
      const store = new MemoryStore();
      await syncAllStreams(sim, store);
      sim.state.touch('patients', 5);
      sim.state.addPatientVisit();
      await syncAllStreams(sim, store);
      expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
      await sim.close();
      sim = undefined;
    }
  });

  it('works whether the DateTStamp filter is inclusive or exclusive, with 1000-row Service pages', async () => {
    sim = await startOpenDentalSimulator({ seed: 6, patients: 250, stampComparison: '>', mode: 'service' });
    const store = new MemoryStore();
    await syncAllStreams(sim, store, { mode: 'service' });
    sim.state.touch('procedurelogs', 4);
    sim.state.touch('appointments', 3);
    await syncAllStreams(sim, store, { mode: 'service' });
    expect(storeDigests(store, sim.clock.timeZone)).toEqual(simulatorDigests(sim));
  });
});
