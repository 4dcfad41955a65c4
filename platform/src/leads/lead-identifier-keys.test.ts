import type { Lead } from '@sourceline/sdk';
import { describe, expect, it } from 'vitest';
import { leadIdentifierKeys } from './lead-identifier-keys.ts';

const lead = (phone: string | null, email: string | null): Lead => ({
  id: 'l1', occurredAt: '2025-03-14T16:02:11.000Z', kind: 'form', channel: null, source: null, medium: null, campaign: null, adGroup: null,
  keyword: null, gclid: null, name: null, phone, email, landingPage: null, message: null, durationSeconds: null, locationId: null,
});

describe('a lead’s identity keys', () => {
  it('are its phone in E.164 and its canonical e-mail, however they were typed', () => {
    expect(leadIdentifierKeys(lead('(614) 535-6162', ' J.Doe+forms@GMAIL.com '))).toEqual(['phone:+16145356162', 'email:jdoe@gmail.com']);
    expect(leadIdentifierKeys(lead('+1 614-535-6162 ext. 4', null))).toEqual(['phone:+16145356162']);
  });

  it('leave out filler, seven-digit and unusable values', () => {
    expect(leadIdentifierKeys(lead('000-000-0000', 'none@none.com'))).toEqual([]);
    expect(leadIdentifierKeys(lead('535-6162', 'not an address'))).toEqual([]);
    expect(leadIdentifierKeys(lead(null, null))).toEqual([]);
  });
});
