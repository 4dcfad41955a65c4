import { ChannelId } from '../channels/index.ts';

/**
 * How many journeys followed one channel sequence, and how they ended. The Markov model reads only these counts, so
 * a practice's paths are small to store and cheap to pool across an agency.
 */
export interface ChannelPathCount {
  /** Channels in time order with consecutive repeats collapsed (paid search → paid search is one step). */
  channels: readonly ChannelId[];
  /** Journeys on this path that became patients (a first visit). */
  conversions: number;
  /** Journeys on this path that never did: leads without a patient. */
  nonConversions: number;
}

const taxonomyOrder = new Map<ChannelId, number>(ChannelId.options.map((id, i) => [id, i]));

/** Channels in the taxonomy's order: the Markov chain's state order, so results never depend on input order. */
export function inTaxonomyOrder(channels: Iterable<ChannelId>): ChannelId[] {
  return [...new Set(channels)].sort((a, b) => (taxonomyOrder.get(a) as number) - (taxonomyOrder.get(b) as number));
}

/**
 * Consecutive repeats carry no information for a first-order chain's absorption probabilities (a self-loop only
 * delays leaving a state, it does not change where the walk ends), so they are collapsed before counting.
 */
export function collapseRepeats(channels: readonly ChannelId[]): ChannelId[] {
  const collapsed: ChannelId[] = [];
  for (const channel of channels) if (collapsed[collapsed.length - 1] !== channel) collapsed.push(channel);
  return collapsed;
}

/** Counts journeys by path; empty paths (no channel at all) are left out, as no channel can be credited for them. */
export class ChannelPathCounter {
  private readonly byKey = new Map<string, { channels: ChannelId[]; conversions: number; nonConversions: number }>();

  add(channels: readonly ChannelId[], outcome: 'conversion' | 'non-conversion', times = 1): void {
    const path = collapseRepeats(channels);
    if (path.length === 0 || times === 0) return;
    const key = path.join('>');
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { channels: path, conversions: 0, nonConversions: 0 };
      this.byKey.set(key, entry);
    }
    if (outcome === 'conversion') entry.conversions += times;
    else entry.nonConversions += times;
  }

  addCounts(paths: Iterable<ChannelPathCount>): this {
    for (const path of paths) {
      this.add(path.channels, 'conversion', path.conversions);
      this.add(path.channels, 'non-conversion', path.nonConversions);
    }
    return this;
  }

  /** The counts in a canonical order (by path text), so the same journeys always give the same list. */
  counts(): ChannelPathCount[] {
    return [...this.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => ({ ...entry }));
  }
}

export function countOfJourneys(paths: readonly ChannelPathCount[]): number {
  let total = 0;
  for (const path of paths) total += path.conversions + path.nonConversions;
  return total;
}

export function countOfConversions(paths: readonly ChannelPathCount[]): number {
  let total = 0;
  for (const path of paths) total += path.conversions;
  return total;
}
