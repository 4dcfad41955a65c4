import { z } from 'zod';

/** The CRM's channels (lead-sources spec §8.1), in the order reports list them. */
export const ChannelId = z.enum([
  'paid-search', 'organic-search', 'google-business-profile', 'paid-social', 'organic-social', 'display', 'email',
  'referral-professional', 'referral-web', 'direct', 'offline-other',
]);
export type ChannelId = z.infer<typeof ChannelId>;

export const channelDisplayNames: Record<ChannelId, string> = {
  'paid-search': 'Paid Search',
  'organic-search': 'Organic Search',
  'google-business-profile': 'Google Business Profile',
  'paid-social': 'Paid Social',
  'organic-social': 'Organic Social',
  display: 'Display',
  email: 'Email',
  'referral-professional': 'Referral – Professional',
  'referral-web': 'Referral – Web',
  direct: 'Direct',
  'offline-other': 'Offline / Other',
};

/**
 * Bumped whenever a default rule or list changes. A lead's channel is a pure function of its stored raw fields and the
 * rules version, so reclassification is a replay: store the version beside the channel and re-run when it moves.
 */
export const channelRulesVersion = 1;
