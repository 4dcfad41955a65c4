import { channelDisplayNames, type ChannelId } from './channel-taxonomy.ts';
import { ChannelOverrides, matchingOverride, type ChannelOverridesInput } from './channel-overrides.ts';
import { defaultRules, fallbackRule, type RuleContext } from './default-rules.ts';
import { describeOverrideRule } from './explain-channel-rule.ts';
import { normalizeTouch, phoneKey, type LeadTouch } from './lead-touch.ts';
import { defaultReferenceLists, type ChannelReferenceLists } from './reference-lists.ts';

export interface ChannelDecision {
  channel: ChannelId;
  /** The channel's name, or the override's display name. */
  displayName: string;
  /** The rule that fired: `R0`…`R19`, or `override:<id>`. Stored with the channel so a change of rules can be replayed. */
  rule: string;
  /** The rule in words, for the UI's "why this channel". */
  explanation: string;
}

/**
 * Classifies one touch into a channel: the practice's override rules first, then the default rules of §8.2 in order;
 * the first match wins and names itself. Pure: no database, no clock.
 */
export function classifyLead(input: LeadTouch, overrides?: ChannelOverridesInput, lists: ChannelReferenceLists = defaultReferenceLists): ChannelDecision {
  return channelClassifier(overrides, lists)(input);
}

/**
 * The same classification with the practice's configuration validated and indexed once, for classifying many leads
 * (a practice's whole history after its rules change) without re-reading the configuration per lead.
 */
export function channelClassifier(
  overrides?: ChannelOverridesInput,
  lists: ChannelReferenceLists = defaultReferenceLists,
): (input: LeadTouch) => ChannelDecision {
  const practice = ChannelOverrides.parse(overrides ?? {});
  const context: RuleContext = {
    lists,
    trackingNumbers: new Map(Object.entries(practice.trackingNumbers).flatMap(([number, channel]) => {
      const key = phoneKey(number);
      return key ? [[key, channel] as const] : [];
    })),
    ownHosts: new Set(practice.ownHosts),
    callRailLabels: { ...lists.callRailLabels, ...practice.callRailLabels },
  };
  return (input) => {
    const touch = normalizeTouch(input);
    const override = matchingOverride(touch, practice.rules);
    if (override) {
      return {
        channel: override.channel, displayName: override.displayName ?? channelDisplayNames[override.channel], rule: `override:${override.id}`,
        explanation: describeOverrideRule(override),
      };
    }
    for (const rule of defaultRules) {
      const channel = rule.classify(touch, context);
      if (channel) return { channel, displayName: channelDisplayNames[channel], rule: rule.id, explanation: rule.description };
    }
    return { channel: fallbackRule.channel, displayName: channelDisplayNames[fallbackRule.channel], rule: fallbackRule.id, explanation: fallbackRule.description };
  };
}
