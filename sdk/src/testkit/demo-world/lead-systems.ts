import type { DemoLead } from './types.ts';

/**
 * Which system recorded a demo lead, so each lead-source fake renders a disjoint share of the world's leads and the
 * demo's replays add up to the world's leads exactly once:
 * - website forms → Gravity Forms, except some Google Ads clicks that filled the ad's lead form asset instead, and
 *   most paid-social forms, which were Meta instant forms;
 * - calls → CallRail tracking numbers; click-to-calls from Google Ads → Google forwarding numbers (call_view);
 * - chats → a chat widget no connector reads.
 */
export type DemoLeadSystem = 'gravity-forms' | 'callrail' | 'google-ads-lead-form' | 'google-ads-call' | 'meta-lead-ads' | 'chat-widget';

export function leadSystemOf(lead: Pick<DemoLead, 'id' | 'kind' | 'channel' | 'source'>): DemoLeadSystem {
  const bucket = stableBucket(lead.id, 6);
  switch (lead.kind) {
    case 'chat':
      return 'chat-widget';
    case 'call':
      return 'callrail';
    case 'click-to-call':
      return lead.channel === 'paid-search' && lead.source === 'google' ? 'google-ads-call' : 'callrail';
    case 'form':
      if (lead.channel === 'paid-social') return bucket < 4 ? 'meta-lead-ads' : 'gravity-forms';
      if (lead.channel === 'paid-search' && lead.source === 'google' && bucket === 0) return 'google-ads-lead-form';
      return 'gravity-forms';
  }
}

/** A stable bucket in [0, buckets) from an id (FNV-1a): the same lead always lands in the same system. */
export function stableBucket(id: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % buckets;
}
