export { AttributionModelId, AttributionSettings, attributionModelIds, attributionModelNames, type AttributionSettingsInput } from './attribution-settings.ts';
export { attributePractice } from './engine.ts';
export type {
  AttributionLeadInput, AttributionPatientInput, AttributionPaymentInput, AttributionProcedureInput, AttributionReferralSourceInput,
  LeadPatientLink, ManualTouchpointInput, PracticeAttribution, PracticeAttributionInput,
} from './engine.ts';
export { attributePatient, type PatientAttribution } from './attribute-patient.ts';
export { buildTouchpoints, compareTouchpoints } from './touchpoints.ts';
export type { LeadTouchInput, ManualTouchInput, PatientTouchInputs, ReferralChannelMapper, ReferralSourceInput, Touchpoint, TouchpointOrigin } from './touchpoints.ts';
export { channelFromReferralSource } from './referral-channel.ts';
export { creditModels, firstTouch, lastTouch, linear, markovCredit, positionBased, timeDecay, type CreditContext, type CreditModel } from './models/index.ts';
export { ChannelPathCounter, collapseRepeats, type ChannelPathCount } from './channel-paths.ts';
export { fitMarkov, fitPracticeMarkov, restoreMarkovFit, type MarkovBasis, type MarkovChannelCredit, type MarkovFit, type MarkovFitOptions, type StoredMarkovFit } from './markov.ts';
export { compilePaths, conversionProbability, countTransitions, removalEffects, type RemovalEffects, type TransitionCounts } from './markov-chain.ts';
export { creditedRevenueCents, patientRevenue, revenueMeasures, revenueTotals, type PatientRevenue, type RevenueDay, type RevenueMeasure, type RevenueTotals } from './revenue.ts';
export { majorProcedureFamilies, procedureFamilyOf, type ProcedureFamily } from './procedure-families.ts';
export { describePrimaryAndContributing, primaryAndContributing, type ChannelShare, type PrimaryAndContributing } from './primary-contributing.ts';
export {
  addEpisodeRollups, addPatientRollups, applyRollupDelta, episodeRollupRows, patientRollupRows, rollupDelta, sumRollupRows, PATIENT_MILLIONTHS,
  RollupAccumulator, rollupMeasureNames,
  type LeadEpisode, type RollupChannel, type RollupKey, type RollupMeasureName, type RollupMeasures, type RollupRow,
} from './rollups.ts';
export { allocateByLargestRemainder } from './allocate.ts';
export { AttributionInputError, isoDateOfDay, LocalDayClock, type DayNumber } from './local-day.ts';
