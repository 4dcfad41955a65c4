import type { ChannelId } from '../../channels/index.ts';
import type { Touchpoint } from '../touchpoints.ts';

/** What a model may read besides the touchpoints: the practice's half-life and the fitted Markov channel shares. */
export interface CreditContext {
  halfLifeDays: number;
  markovShares: ReadonlyMap<ChannelId, number>;
}

/**
 * A credit model: one weight per touchpoint, in the touchpoints' order, each ≥ 0, adding up (left to right) to
 * exactly 1. Only called with at least one touchpoint; a patient without any is unattributed, not credited.
 */
export type CreditModel = (touchpoints: readonly Touchpoint[], context: CreditContext) => number[];
