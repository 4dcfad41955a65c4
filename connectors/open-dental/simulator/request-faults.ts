import { Random } from '@sourceline/sdk/testkit';
import type { SimulatorFaults } from './simulator-options.ts';

export type FaultDecision = { kind: 'none' } | { kind: '429' } | { kind: '500' } | { kind: 'slow'; ms: number };

/** Decides, from a seeded stream, which request gets which fault: the same seed fails the same requests. */
export class RequestFaults {
  private readonly rng: Random;

  constructor(public faults: SimulatorFaults, seed: number) {
    this.rng = new Random(seed, 7_777);
  }

  next(): FaultDecision {
    const roll = this.rng.float();
    const { rate429, rate500, slowPageRate, slowPageMs } = this.faults;
    if (roll < rate429) return { kind: '429' };
    if (roll < rate429 + rate500) return { kind: '500' };
    if (roll < rate429 + rate500 + slowPageRate) return { kind: 'slow', ms: slowPageMs };
    return { kind: 'none' };
  }
}

/** Open Dental throttles per customer key: one request per interval, the request's own time included. */
export class KeyThrottle {
  private readonly nextSlot = new Map<string, number>();

  /** Milliseconds this request must wait for its slot (and reserves the slot). */
  reserve(customerKey: string, intervalMs: number, now: number): number {
    const slot = Math.max(now, this.nextSlot.get(customerKey) ?? 0);
    this.nextSlot.set(customerKey, slot + intervalMs);
    return slot - now;
  }

  /** Milliseconds until the key may send again, without reserving. */
  waitFor(customerKey: string, now: number): number {
    return Math.max(0, (this.nextSlot.get(customerKey) ?? 0) - now);
  }
}
