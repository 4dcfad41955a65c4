export { ChannelId, channelDisplayNames, channelRulesVersion } from './channel-taxonomy.ts';
export { channelClassifier, classifyLead, type ChannelDecision } from './classify-lead.ts';
export { ChannelOverrides, OverrideRule, OverrideCondition, type ChannelOverridesInput } from './channel-overrides.ts';
export { LeadTouch, TouchOrigin } from './lead-touch.ts';
export { defaultReferenceLists, type ChannelReferenceLists } from './reference-lists.ts';
export { defaultRules, fallbackRule } from './default-rules.ts';
export { touchFromLead, type LeadMarketingFields } from './touch-from-lead.ts';
