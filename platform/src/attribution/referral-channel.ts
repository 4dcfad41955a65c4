import type { ChannelId } from '../channels/index.ts';
import type { ReferralSourceInput } from './touchpoints.ts';

/**
 * Marketing words in "how did you hear about us" text, most specific first ("google ads" before "google"). Practices
 * type these by hand, so this is a starting point: a practice with its own vocabulary passes its own mapper.
 */
const marketingTextRules: readonly { pattern: RegExp; channel: ChannelId }[] = [
  { pattern: /\b(google|bing|search)\s*(ads?|ppc|adwords)\b|\bppc\b|\badwords\b|\bpaid search\b/i, channel: 'paid-search' },
  { pattern: /\b(google\s*(maps?|business|my business|listing|reviews?)|gbp|gmb)\b/i, channel: 'google-business-profile' },
  { pattern: /\b(facebook|instagram|meta|tiktok|social)\s*(ads?|advert\w*)\b/i, channel: 'paid-social' },
  { pattern: /\b(facebook|instagram|tiktok|nextdoor|social media|social)\b/i, channel: 'organic-social' },
  { pattern: /\b(google|bing|yahoo|search|internet|online|web\s*search)\b/i, channel: 'organic-search' },
  { pattern: /\b(e-?mail|newsletter)\b/i, channel: 'email' },
  { pattern: /\b(zocdoc|yelp|healthgrades|directory|insurance (website|directory))\b/i, channel: 'referral-web' },
  { pattern: /\b(website|walk[- ]?in|drive[- ]?by|saw (the )?sign|signage)\b/i, channel: 'direct' },
];

/**
 * The default mapper of a PMS referral source to a channel: a doctor or patient referral is a professional/patient
 * referral (as rule R0 treats staff-entered referrals); marketing text is read for known words; anything else is
 * Offline / Other (mailers, radio, events), since the patient did name a source.
 */
export function channelFromReferralSource(source: ReferralSourceInput): ChannelId | null {
  if (source.sourceKind === 'doctor' || source.sourceKind === 'patient') return 'referral-professional';
  const text = source.sourceName.trim();
  if (text === '' || /^(none|unknown|n\/?a|-+)$/i.test(text)) return null;
  for (const rule of marketingTextRules) if (rule.pattern.test(text)) return rule.channel;
  return 'offline-other';
}
