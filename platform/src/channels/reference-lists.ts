import type { ChannelId } from './channel-taxonomy.ts';

/**
 * The lists and patterns the default rules read (§8.2). GA4's own lists are not published in full and Google revises
 * its patterns, so they are data, not code: a caller may pass an adjusted copy.
 */
export interface ChannelReferenceLists {
  /** Source names of search engines (utm_source values). */
  searchSources: readonly string[];
  /** Referrer hosts of search engines, as patterns over the host without `www.` (google.* covers every country). */
  searchHosts: readonly RegExp[];
  socialSources: readonly string[];
  socialHosts: readonly RegExp[];
  paidMedium: RegExp;
  displayMediums: readonly string[];
  socialMediums: readonly string[];
  emailTokens: readonly string[];
  gbpSources: readonly string[];
  gbpMediums: readonly string[];
  gbpCampaign: RegExp;
  /** Campaign types (Google's advertising_channel_type) that make a Google click Display rather than Paid Search. */
  displayCampaignTypes: readonly string[];
  /** CallRail's channel labels (`formatted_tracking_source`, `source`), lower-cased: the R18 starter table. */
  callRailLabels: Readonly<Record<string, ChannelId>>;
}

export const defaultReferenceLists: ChannelReferenceLists = {
  searchSources: ['google', 'bing', 'yahoo', 'duckduckgo', 'baidu', 'yandex', 'ecosia', 'ask', 'aol', 'search.brave'],
  searchHosts: [
    /^google\.[a-z.]+$/, /^bing\.com$/, /^search\.yahoo\.com$/, /^([a-z]+\.)?search\.yahoo\.com$/, /^duckduckgo\.com$/, /^baidu\.com$/,
    /^yandex\.[a-z.]+$/, /^ecosia\.org$/, /^ask\.com$/, /^search\.aol\.com$/, /^search\.brave\.com$/,
  ],
  socialSources: [
    'facebook', 'fb', 'm.facebook.com', 'l.facebook.com', 'instagram', 'ig', 'l.instagram.com', 'tiktok', 'linkedin', 'lnkd.in', 'twitter',
    'x', 't.co', 'pinterest', 'youtube', 'reddit', 'nextdoor', 'snapchat',
  ],
  socialHosts: [
    /^([a-z]+\.)?facebook\.com$/, /^([a-z]+\.)?instagram\.com$/, /^tiktok\.com$/, /^([a-z]+\.)?linkedin\.com$/, /^lnkd\.in$/, /^twitter\.com$/,
    /^x\.com$/, /^t\.co$/, /^([a-z]+\.)?pinterest\.com$/, /^(m\.)?youtube\.com$/, /^([a-z]+\.)?reddit\.com$/, /^nextdoor\.com$/, /^snapchat\.com$/,
  ],
  paidMedium: /^(.*cp.*|ppc|retargeting|paid.*)$/,
  displayMediums: ['display', 'banner', 'expandable', 'interstitial', 'cpm'],
  socialMediums: ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'],
  emailTokens: ['email', 'e-mail', 'e_mail', 'e mail'],
  gbpSources: ['gbp', 'gmb', 'google_business_profile', 'googlemybusiness'],
  gbpMediums: ['gbp', 'gmb'],
  gbpCampaign: /^(gbp|gmb)([-_ ].*)?$/,
  displayCampaignTypes: ['DISPLAY', 'VIDEO', 'DEMAND_GEN'],
  // Exact CallRail label strings are unconfirmed (§8.2 R18): practices extend this table through their overrides.
  callRailLabels: {
    'google paid': 'paid-search', 'google ads': 'paid-search', 'bing paid': 'paid-search',
    'google organic': 'organic-search', 'bing organic': 'organic-search', 'yahoo organic': 'organic-search',
    'facebook paid': 'paid-social', facebook: 'organic-social', instagram: 'organic-social',
    'google my business': 'google-business-profile', 'google business profile': 'google-business-profile',
    direct: 'direct', referral: 'referral-web',
  },
};
