import { z } from 'zod';

/** The credit models every patient is credited under; all are computed and stored, one is the practice's default. */
export const AttributionModelId = z.enum(['first-touch', 'last-touch', 'linear', 'time-decay', 'position-based', 'markov']);
export type AttributionModelId = z.infer<typeof AttributionModelId>;
export const attributionModelIds: readonly AttributionModelId[] = AttributionModelId.options;

export const attributionModelNames: Record<AttributionModelId, string> = {
  'first-touch': 'First touch',
  'last-touch': 'Last touch',
  linear: 'Linear',
  'time-decay': 'Time decay',
  'position-based': 'Position based (40/20/40)',
  markov: 'Data-driven (Markov)',
};

/**
 * A practice's attribution settings, as stored and edited. Defaults are the issue's: 90-day lookback, 300 paths before
 * the Markov model trusts a practice's own data. Position based is the default model because it credits both the touch
 * that found the patient and the one that converted them, and behaves the same on the first day as after a year.
 */
export const AttributionSettings = z.object({
  defaultModel: AttributionModelId.default('position-based'),
  /** Touches more than this many days before the first visit earn no credit. */
  lookbackDays: z.number().int().min(0).max(3650).default(90),
  /** Time decay: a touch this many days older than another earns half its weight (GA's classic default: 7). */
  halfLifeDays: z.number().positive().max(3650).default(7),
  /** Below this many paths (converting and not), the Markov model is fitted on the agency's pooled paths. */
  markovMinPaths: z.number().int().min(0).default(300),
  /** Level 2 revenue: follow-on production within this many months after the first visit. */
  followOnMonths: z.number().int().min(1).max(120).default(12),
  /** Bootstrap resamples behind the Markov confidence range; the point estimate is exact and does not depend on it. */
  markovBootstrapResamples: z.number().int().min(0).max(10_000).default(200),
  /** Seed of the bootstrap's generator: the same inputs and seed give the same range, run after run. */
  markovBootstrapSeed: z.number().int().min(0).max(0xffff_ffff).default(20_240_601),
  /** "Contributing channels" are the non-primary channels with at least this share of the credit. */
  contributingThreshold: z.number().min(0).max(1).default(0.05),
});
export type AttributionSettings = z.infer<typeof AttributionSettings>;
export type AttributionSettingsInput = z.input<typeof AttributionSettings>;
