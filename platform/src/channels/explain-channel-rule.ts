import type { OverrideRule } from './channel-overrides.ts';
import { defaultRules, fallbackRule } from './default-rules.ts';

const OVERRIDE_PREFIX = 'override:';

/** A practice rule in words: its description, or its key. */
export function describeOverrideRule(rule: Pick<OverrideRule, 'id' | 'description'>): string {
  return rule.description ?? `The practice’s rule "${rule.id}"`;
}

/**
 * "Why this channel" for a stored decision: the rule id kept with the channel, in words. Default rules explain
 * themselves; a practice rule by its description, or by its key if it has none or has been removed since.
 */
export function explainChannelRule(ruleId: string, practiceRules: readonly Pick<OverrideRule, 'id' | 'description'>[]): string {
  if (ruleId.startsWith(OVERRIDE_PREFIX)) {
    const key = ruleId.slice(OVERRIDE_PREFIX.length);
    const rule = practiceRules.find((r) => r.id === key);
    return rule ? describeOverrideRule(rule) : `The practice’s rule "${key}" (since removed or renamed)`;
  }
  if (ruleId === fallbackRule.id) return fallbackRule.description;
  return defaultRules.find((r) => r.id === ruleId)?.description ?? `Rule ${ruleId}`;
}
