import { describe, expect, it } from 'vitest';
import { classifyLead } from './classify-lead.ts';
import { explainChannelRule } from './explain-channel-rule.ts';

describe('why a stored lead has its channel', () => {
  it('says what the classifier said when it decided, for default and practice rules alike', () => {
    const rules = [{ id: 'zocdoc', description: 'Zocdoc bookings', when: [{ field: 'referrer' as const, operator: 'contains' as const, value: 'zocdoc' }], channel: 'referral-web' as const }];
    for (const touch of [{ gclid: 'g' }, { medium: 'flyer' }, { referrer: 'https://zocdoc.com/x' }]) {
      const decision = classifyLead(touch, { rules });
      expect(explainChannelRule(decision.rule, rules)).toBe(decision.explanation);
    }
  });

  it('still answers for a practice rule removed since', () => {
    expect(explainChannelRule('override:radio', [])).toBe('The practice’s rule "radio" (since removed or renamed)');
  });
});
