import { channelDisplayNames, type ChannelId } from '../channels/index.ts';
import type { AttributionModelId } from './attribution-settings.ts';
import type { Touchpoint } from './touchpoints.ts';

export interface ChannelShare {
  channel: ChannelId;
  /** The channel's part of the patient's credit, 0…1. */
  share: number;
}

/** The plain-language view of one patient's credit under the practice's default model. */
export interface PrimaryAndContributing {
  model: AttributionModelId;
  /** The channel with the most credit; null when the patient is unattributed. */
  primary: ChannelShare | null;
  /** Other channels with at least the threshold's share, largest first. */
  contributing: ChannelShare[];
}

/** Shares within this distance are a tie: 0.4 + 0.2 and 0.6 must not part ways over a rounding error. */
const TIE = 1e-9;

interface ChannelTotal {
  channel: ChannelId;
  share: number;
  firstTouch: number;
}

/** Credit per channel, with the position of each channel's first touch for tie-breaks. */
function channelTotals(touchpoints: readonly Touchpoint[], weights: readonly number[]): ChannelTotal[] {
  const totals = new Map<ChannelId, ChannelTotal>();
  touchpoints.forEach((touchpoint, i) => {
    const total = totals.get(touchpoint.channel);
    if (total) total.share += weights[i] as number;
    else totals.set(touchpoint.channel, { channel: touchpoint.channel, share: weights[i] as number, firstTouch: i });
  });
  // Most credit first; a tie goes to the channel that touched the patient first.
  return [...totals.values()].sort((a, b) => (Math.abs(a.share - b.share) > TIE ? b.share - a.share : a.firstTouch - b.firstTouch));
}

/**
 * The primary channel (most credit; a tie goes to the channel that touched first) and the contributing channels
 * (every other channel with at least `threshold` of the credit).
 */
export function primaryAndContributing(
  touchpoints: readonly Touchpoint[],
  weights: readonly number[],
  model: AttributionModelId,
  threshold: number,
): PrimaryAndContributing {
  const [primary, ...others] = channelTotals(touchpoints, weights);
  if (!primary) return { model, primary: null, contributing: [] };
  return {
    model,
    primary: { channel: primary.channel, share: primary.share },
    contributing: others.filter((total) => total.share >= threshold - TIE).map(({ channel, share }) => ({ channel, share })),
  };
}

/**
 * The touchpoint standing for the primary channel: that channel's most-credited touch (earliest on a tie). Rollups
 * count the whole new patient on its channel and campaign, so "new patients by channel" adds up to new patients.
 */
export function primaryTouchpointIndex(touchpoints: readonly Touchpoint[], weights: readonly number[]): number {
  const [primary] = channelTotals(touchpoints, weights);
  if (!primary) return -1;
  let best = -1;
  touchpoints.forEach((touchpoint, i) => {
    if (touchpoint.channel !== primary.channel) return;
    if (best === -1 || (weights[i] as number) > (weights[best] as number) + TIE) best = i;
  });
  return best;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** "Primary channel: Paid Search (60%). Contributing: Google Business Profile (40%)." */
export function describePrimaryAndContributing(view: PrimaryAndContributing): string {
  if (!view.primary) return 'Unattributed: no marketing touch was recorded before the first visit.';
  const primary = `Primary channel: ${channelDisplayNames[view.primary.channel]} (${percent(view.primary.share)}).`;
  if (view.contributing.length === 0) return primary;
  return `${primary} Contributing: ${view.contributing.map((c) => `${channelDisplayNames[c.channel]} (${percent(c.share)})`).join(', ')}.`;
}
