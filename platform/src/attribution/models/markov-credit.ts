import type { ChannelId } from '../../channels/index.ts';
import { weightsSummingToOne } from '../weights.ts';
import type { CreditModel } from './credit-model.ts';
import { linear } from './linear.ts';

/**
 * A patient's share of the practice's Markov credit: the fitted channel shares restricted to the channels on this
 * patient's path and renormalised, then each channel's part split evenly among its touches (so campaigns inside a
 * channel share it). If none of the patient's channels earned any share (possible only when the fit lacks them),
 * the patient is credited linearly rather than dropped.
 */
export const markovCredit: CreditModel = (touchpoints, context) => {
  const touchesPerChannel = new Map<ChannelId, number>();
  for (const touchpoint of touchpoints) touchesPerChannel.set(touchpoint.channel, (touchesPerChannel.get(touchpoint.channel) ?? 0) + 1);
  let total = 0;
  for (const channel of touchesPerChannel.keys()) total += context.markovShares.get(channel) ?? 0;
  if (!(total > 0)) return linear(touchpoints, context);
  // Renormalised before the split: a share near the smallest double, halved, would round to zero and leave no weight.
  return weightsSummingToOne(
    touchpoints.map((touchpoint) => (context.markovShares.get(touchpoint.channel) ?? 0) / total / (touchesPerChannel.get(touchpoint.channel) as number)),
  );
};
