import { attributionModelIds, type AttributionModelId, type AttributionSettings } from './attribution-settings.ts';
import type { DayNumber } from './local-day.ts';
import { creditModels, type CreditContext } from './models/index.ts';
import { primaryAndContributing, type PrimaryAndContributing } from './primary-contributing.ts';
import { revenueTotals, type PatientRevenue, type RevenueTotals } from './revenue.ts';
import type { Touchpoint } from './touchpoints.ts';

/** Everything attribution concludes about one new patient. Credited cents are derived: `creditedRevenueCents`. */
export interface PatientAttribution {
  patientId: string;
  /** The patient's location: rollups count the patient, and the revenue they bring, there. */
  locationId: string | null;
  firstVisitDay: DayNumber;
  /** Ordered touches; empty when the patient is unattributed. */
  touchpoints: readonly Touchpoint[];
  /** Per model, one weight per touchpoint adding up to exactly 1 (empty when unattributed). */
  credits: Record<AttributionModelId, readonly number[]>;
  revenue: PatientRevenue;
  revenueTotals: RevenueTotals;
  /** The plain-language view under the practice's default model. */
  primaryAndContributing: PrimaryAndContributing;
}

export function attributePatient(input: {
  patientId: string;
  locationId: string | null;
  firstVisitDay: DayNumber;
  touchpoints: readonly Touchpoint[];
  revenue: PatientRevenue;
  context: CreditContext;
  settings: Pick<AttributionSettings, 'defaultModel' | 'contributingThreshold'>;
}): PatientAttribution {
  const credits = {} as Record<AttributionModelId, readonly number[]>;
  for (const model of attributionModelIds) {
    credits[model] = input.touchpoints.length === 0 ? [] : creditModels[model](input.touchpoints, input.context);
  }
  return {
    patientId: input.patientId,
    locationId: input.locationId,
    firstVisitDay: input.firstVisitDay,
    touchpoints: input.touchpoints,
    credits,
    revenue: input.revenue,
    revenueTotals: revenueTotals(input.revenue),
    primaryAndContributing: primaryAndContributing(input.touchpoints, credits[input.settings.defaultModel], input.settings.defaultModel, input.settings.contributingThreshold),
  };
}
