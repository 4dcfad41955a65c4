import { z } from 'zod';
import { ChannelId } from './channel-taxonomy.ts';
import type { NormalizedTouch } from './lead-touch.ts';

/** The touch fields an override may test. */
export const OverrideField = z.enum(['source', 'medium', 'campaign', 'landingPage', 'referrer']);
export type OverrideField = z.infer<typeof OverrideField>;

const isCompilableRegex = (pattern: string) => {
  try {
    new RegExp(pattern, 'i');
    return true;
  } catch {
    return false;
  }
};

/** One test on one field; values compare case-insensitively, as the defaults do. */
export const OverrideCondition = z.discriminatedUnion('operator', [
  z.object({ field: OverrideField, operator: z.literal('equals'), value: z.string().trim().min(1).max(500) }),
  z.object({ field: OverrideField, operator: z.literal('contains'), value: z.string().trim().min(1).max(500) }),
  z.object({ field: OverrideField, operator: z.literal('regex'), value: z.string().min(1).max(200).refine(isCompilableRegex, 'not a valid regular expression') }),
]);
export type OverrideCondition = z.infer<typeof OverrideCondition>;

/** A practice's own rule: when every condition holds, the channel (and optionally the name shown for it). */
export const OverrideRule = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a short kebab-case id'),
  description: z.string().max(200).optional(),
  when: z.array(OverrideCondition).min(1).max(10),
  channel: ChannelId,
  /** Shown instead of the channel's name, e.g. "Zocdoc" for a Referral – Web directory. */
  displayName: z.string().trim().min(1).max(80).optional(),
});
export type OverrideRule = z.infer<typeof OverrideRule>;

const E164ish = z.string().transform((n) => n.replace(/[^\d+]/g, '')).pipe(z.string().regex(/^\+?\d{10,15}$/, 'a phone number'));

/**
 * Everything per practice the classification reads: override rules (evaluated before the defaults, first match wins),
 * the tracking number → channel table (R1), the practice's own hosts (R17 treats them as no referrer), and additions
 * to CallRail's label table (R18). Stored as JSON per practice and validated here.
 */
export const ChannelOverrides = z.object({
  rules: z.array(OverrideRule).max(200).default([]).refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique'),
  trackingNumbers: z.record(E164ish, ChannelId).default({}),
  ownHosts: z.array(z.string().trim().toLowerCase().transform((h) => h.replace(/^www\./, '')).pipe(z.string().min(3))).default([]),
  callRailLabels: z.record(z.string().trim().toLowerCase(), ChannelId).default({}),
});
export type ChannelOverrides = z.infer<typeof ChannelOverrides>;
export type ChannelOverridesInput = z.input<typeof ChannelOverrides>;

/** Tests the normalised touch: source, medium and campaign already lower-cased; landing page and referrer as stored. */
export function conditionHolds(touch: NormalizedTouch, condition: OverrideCondition): boolean {
  const value = touch[condition.field];
  if (value === null) return false;
  switch (condition.operator) {
    case 'equals': return value.toLowerCase() === condition.value.toLowerCase();
    case 'contains': return value.toLowerCase().includes(condition.value.toLowerCase());
    case 'regex': return new RegExp(condition.value, 'i').test(value);
  }
}

export function matchingOverride(touch: NormalizedTouch, rules: readonly OverrideRule[]): OverrideRule | undefined {
  return rules.find((rule) => rule.when.every((condition) => conditionHolds(touch, condition)));
}
