import type { AttributionModelId } from '../attribution-settings.ts';
import type { CreditModel } from './credit-model.ts';
import { firstTouch } from './first-touch.ts';
import { lastTouch } from './last-touch.ts';
import { linear } from './linear.ts';
import { markovCredit } from './markov-credit.ts';
import { positionBased } from './position-based.ts';
import { timeDecay } from './time-decay.ts';

export type { CreditContext, CreditModel } from './credit-model.ts';
export { firstTouch, lastTouch, linear, markovCredit, positionBased, timeDecay };

export const creditModels: Record<AttributionModelId, CreditModel> = {
  'first-touch': firstTouch,
  'last-touch': lastTouch,
  linear,
  'time-decay': timeDecay,
  'position-based': positionBased,
  markov: markovCredit,
};
