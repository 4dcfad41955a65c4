import type { BlockingIndex } from './blocking.ts';
import type { PairResult } from './decide.ts';
import { ChartNotLoaded, type MatchEngine } from './engine.ts';
import type { LeadInput, PatientInput } from './records.ts';

/** A block as a store reports it: how many charts carry the key, and which (null when too many to identify anyone). */
export interface StoredBlock {
  size: number;
  ids: readonly string[] | null;
}

/**
 * Where a resumed engine reads the practice from: the blind-index table of every chart's blocking keys (keys arrive
 * blinded) and the charts themselves, decrypted on demand. The platform backs it with PostgreSQL; tests with memory.
 */
export interface MatchKeyStore {
  /** One entry per key asked for (size 0 when no chart carries it); `ids` listed only up to the engine's block limit. */
  blocks(keys: readonly string[]): Promise<Map<string, StoredBlock>>;
  charts(ids: readonly string[]): Promise<PatientInput[]>;
}

/** The engine asked about a key the store has not been asked for yet. */
export class KeyNotFetched extends Error {
  constructor(readonly key: string) {
    super('a blocking key was used before it was fetched from the store');
  }
}

/** The blocks fetched so far, as the engine's (read-only) index; any other key throws `KeyNotFetched`. */
export class FetchedBlocks implements BlockingIndex {
  private readonly blocks = new Map<string, StoredBlock>();

  has(key: string): boolean {
    return this.blocks.has(key);
  }

  put(key: string, block: StoredBlock): void {
    this.blocks.set(key, block);
  }

  lookup(key: string): readonly string[] {
    const block = this.get(key);
    if (block.ids === null) throw new Error('a block too large to list was looked up: the store and the engine disagree on the block limit');
    return block.ids;
  }

  size(key: string): number {
    return this.get(key).size;
  }

  /** The charts under a fetched key, or null when the key was not fetched or its block is too large to list. */
  lookupIfListed(key: string): readonly string[] | null {
    return this.blocks.get(key)?.ids ?? null;
  }

  add(): void {
    throw new Error('a resumed engine does not write its index: the store is written by the platform');
  }

  remove(): void {
    this.add();
  }

  private get(key: string): StoredBlock {
    const block = this.blocks.get(key);
    if (!block) throw new KeyNotFetched(key);
    return block;
  }
}

/**
 * Scores leads with a resumed engine (`MatchEngine.resume(snapshot, blocks)`) whose charts live in a store. The
 * leads' keys, the charts they reach and those charts' keys are fetched ahead in batches; the charts beside an
 * anchor (its household, charts opened with it) when the engine asks for them, all at once; anything else the engine
 * asks for is fetched then and the lead scored again. So the result is exactly the full run's, whatever the prefetch
 * missed, in a handful of round trips.
 */
export async function matchLeadsFromStore(
  engine: MatchEngine,
  blocks: FetchedBlocks,
  store: MatchKeyStore,
  leads: readonly LeadInput[],
): Promise<Map<string, readonly PairResult[]>> {
  const fetchKeys = async (keys: Iterable<string>): Promise<void> => {
    const wanted = [...new Set(keys)].filter((key) => !blocks.has(key));
    if (!wanted.length) return;
    const found = await store.blocks(wanted);
    for (const key of wanted) blocks.put(key, found.get(key) ?? { size: 0, ids: [] });
  };
  const unloadedUnder = (keys: readonly string[]) => listedUnder(blocks, keys).filter((id) => !engine.hasChart(id));
  /** Loads charts and fetches the keys around them, whose sizes the comparisons read. */
  const loadCharts = async (ids: readonly string[]): Promise<string[]> => {
    if (!ids.length) return [];
    engine.loadCharts(await store.charts(ids));
    const missing = ids.find((id) => !engine.hasChart(id));
    if (missing) throw new Error(`the blocking index names chart ${missing}, which the store does not hold: re-index the practice`);
    await fetchKeys(ids.flatMap((id) => engine.chartContextKeys(id)));
    return [...ids];
  };

  const keysByLead = new Map(leads.map((lead) => [lead.id, engine.leadKeysOf(lead)]));
  await fetchKeys([...keysByLead.values()].flat());
  await loadCharts(unloadedUnder([...keysByLead.values()].flat()));

  const results = new Map<string, readonly PairResult[]>();
  for (const lead of leads) {
    for (;;) {
      try {
        results.set(lead.id, engine.matchLead(lead));
        break;
      } catch (error) {
        if (error instanceof KeyNotFetched) await fetchKeys([error.key]);
        else if (error instanceof ChartNotLoaded) await loadCharts(error.patientIds.filter((id) => !engine.hasChart(id)));
        else throw error;
      }
    }
  }
  return results;
}

/** Every chart listed under the fetched keys, loaded or not. */
function listedUnder(blocks: FetchedBlocks, keys: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const key of keys) for (const id of blocks.lookupIfListed(key) ?? []) ids.add(id);
  return [...ids];
}
