import type { z } from 'zod';
import { Appointment } from './appointment.ts';
import { Adjustment, Payment } from './collections.ts';
import { AdCampaign, AdClick, AdGroup, AdKeyword, Ga4Metric, GbpMetric, Lead, Spend } from './marketing.ts';
import { Patient } from './patient.ts';
import { Location, Provider, ReferralSource } from './practice.ts';
import { Procedure } from './procedure.ts';

export * from './common.ts';
export * from './patient.ts';
export * from './appointment.ts';
export * from './procedure.ts';
export * from './collections.ts';
export * from './practice.ts';
export * from './marketing.ts';

/** Every canonical record kind, by the name connectors pass to `ctx.emit`. */
export const recordSchemas = {
  patient: Patient,
  appointment: Appointment,
  procedure: Procedure,
  payment: Payment,
  adjustment: Adjustment,
  provider: Provider,
  location: Location,
  'referral-source': ReferralSource,
  lead: Lead,
  spend: Spend,
  'ad-campaign': AdCampaign,
  'ad-group': AdGroup,
  'ad-keyword': AdKeyword,
  'ad-click': AdClick,
  'gbp-metric': GbpMetric,
  'ga4-metric': Ga4Metric,
} as const;

export type RecordKind = keyof typeof recordSchemas;
export type RecordOf<K extends RecordKind> = z.infer<(typeof recordSchemas)[K]>;
export const recordKinds = Object.keys(recordSchemas) as RecordKind[];

export function isRecordKind(value: string): value is RecordKind {
  return Object.hasOwn(recordSchemas, value);
}
