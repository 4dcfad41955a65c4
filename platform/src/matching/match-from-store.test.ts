import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacKeys, MemoryBlockingIndex } from './blocking.ts';
import { DEFAULT_MAX_BLOCK_SIZE, MatchEngine } from './engine.ts';
import { FetchedBlocks, matchLeadsFromStore, type MatchKeyStore } from './match-from-store.ts';
import type { PatientInput } from './records.ts';
import { lead, smallPractice } from './testing.ts';

/** The platform's store, in memory: the full run's blind index and the charts by id, counting what is read. */
function memoryStore(index: MemoryBlockingIndex, charts: readonly PatientInput[]) {
  const byId = new Map(charts.map((c) => [c.id, c]));
  const reads = { keys: 0, charts: 0, rounds: 0 };
  const store: MatchKeyStore = {
    async blocks(keys) {
      reads.rounds++;
      reads.keys += keys.length;
      return new Map(keys.map((key) => {
        const size = index.size(key);
        return [key, { size, ids: size > DEFAULT_MAX_BLOCK_SIZE ? null : index.lookup(key) }];
      }));
    },
    async charts(ids) {
      reads.rounds++;
      reads.charts += ids.length;
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
  };
  return { store, reads };
}

describe('matching leads against a stored practice', () => {
  it('gives exactly the full run’s links, confidences and evidence, reading only the charts the leads reach', async () => {
    const world = smallPractice(120);
    const blindKeys = hmacKeys(randomBytes(32));
    const index = new MemoryBlockingIndex();
    const full = MatchEngine.run(world.patients, world.leads, { blindKeys, patientIndex: index });
    const { store, reads } = memoryStore(index, world.patients);

    const blocks = new FetchedBlocks();
    const resumed = MatchEngine.resume(full.snapshot(), blocks, { blindKeys });
    const results = await matchLeadsFromStore(resumed, blocks, store, world.leads.slice(0, 30));

    for (const [leadId, pairs] of results) expect(pairs).toEqual(full.resultsFor(leadId));
    expect([...results.values()].flat().filter((p) => p.decision === 'link').length).toBeGreaterThan(20);
    expect(reads.charts).toBeLessThan(world.patients.length / 2);
  });

  it('reads one new lead in a handful of round trips', async () => {
    const world = smallPractice(120);
    const index = new MemoryBlockingIndex();
    const full = MatchEngine.run(world.patients, world.leads, { patientIndex: index });
    const { store, reads } = memoryStore(index, world.patients);
    const blocks = new FetchedBlocks();
    const results = await matchLeadsFromStore(MatchEngine.resume(full.snapshot(), blocks), blocks, store, [world.leads.find((l) => l.id === 'L7')!]);
    expect(results.get('L7')).toEqual(full.resultsFor('L7'));
    // Its keys; its candidates and their keys; the charts beside its two anchors and their keys.
    expect(reads.rounds).toBeLessThanOrEqual(7);
  });

  it('scores a lead that arrives after the run as the full engine would', async () => {
    const world = smallPractice(60);
    const blindKeys = hmacKeys(randomBytes(32));
    const index = new MemoryBlockingIndex();
    const full = MatchEngine.run(world.patients, world.leads, { blindKeys, patientIndex: index });
    const snapshot = JSON.parse(JSON.stringify(full.snapshot()));
    const { store } = memoryStore(index, world.patients);
    const late = [
      lead({ id: 'LATE1', occurredAt: '2024-03-05T10:00:00Z', name: 'Jon Smith', phone: '614-203-1003' }),
      lead({ id: 'LATE2', occurredAt: '2024-09-01T10:00:00Z', name: '', phone: '', email: 'nobody.known@yahoo.com' }),
    ];

    const blocks = new FetchedBlocks();
    const results = await matchLeadsFromStore(MatchEngine.resume(snapshot, blocks, { blindKeys }), blocks, store, late);

    for (const input of late) expect(results.get(input.id)).toEqual(full.matchLead(input));
  });

  it('refuses to go on when the index names a chart the store does not hold', async () => {
    const world = smallPractice(20);
    const index = new MemoryBlockingIndex();
    const full = MatchEngine.run(world.patients, world.leads, { patientIndex: index });
    const { store } = memoryStore(index, world.patients.filter((p) => p.id !== 'A3'));
    const blocks = new FetchedBlocks();
    await expect(matchLeadsFromStore(MatchEngine.resume(full.snapshot(), blocks), blocks, store, [world.leads.find((l) => l.id === 'L3')!])).rejects.toThrow(
      /names chart A3, which the store does not hold/,
    );
  });
});
