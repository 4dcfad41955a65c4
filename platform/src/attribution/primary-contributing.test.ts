import { describe, expect, it } from 'vitest';
import { describePrimaryAndContributing, primaryAndContributing, primaryTouchpointIndex } from './primary-contributing.ts';
import { touchpoints } from './testing.ts';

describe('primary and contributing channels', () => {
  const journey = touchpoints(4, ['paid-search', 'google-business-profile', 'paid-search', 'email']);

  it('names the channel with the most credit, adding up its touches, and the others above the threshold', () => {
    const view = primaryAndContributing(journey, [0.3, 0.35, 0.31, 0.04], 'linear', 0.05);
    expect(view.primary).toEqual({ channel: 'paid-search', share: 0.61 });
    expect(view.contributing).toEqual([{ channel: 'google-business-profile', share: 0.35 }]);
  });

  it('breaks a tie in favour of the channel that touched the patient first', () => {
    const view = primaryAndContributing(touchpoints(2, ['organic-search', 'paid-search']), [0.5, 0.5], 'position-based', 0.05);
    expect(view.primary?.channel).toBe('organic-search');
    expect(view.contributing).toEqual([{ channel: 'paid-search', share: 0.5 }]);
  });

  it('uses the touch with the most credit inside the primary channel as the one standing for the patient', () => {
    expect(primaryTouchpointIndex(journey, [0.3, 0.35, 0.31, 0.04])).toBe(2);
  });

  it('reads in plain words, and says so when a patient is unattributed', () => {
    expect(describePrimaryAndContributing(primaryAndContributing(journey, [0.3, 0.35, 0.31, 0.04], 'linear', 0.05)))
      .toBe('Primary channel: Paid Search (61%). Contributing: Google Business Profile (35%).');
    expect(describePrimaryAndContributing(primaryAndContributing([], [], 'linear', 0.05))).toMatch(/^Unattributed/);
  });
});
