import { z } from 'zod';
import { Cents, IsoDate, IsoDateTime, SourceId } from './common.ts';

export const LeadKind = z.enum(['form', 'call', 'click-to-call', 'chat']);
export type LeadKind = z.infer<typeof LeadKind>;

/** Someone reaching out to the practice, with the marketing context the lead source captured. */
export const Lead = z.object({
  id: SourceId,
  occurredAt: IsoDateTime,
  kind: LeadKind,
  channel: z.string().nullable(),
  source: z.string().nullable(),
  medium: z.string().nullable(),
  campaign: z.string().nullable(),
  adGroup: z.string().nullable(),
  keyword: z.string().nullable(),
  gclid: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  landingPage: z.string().nullable(),
  message: z.string().nullable(),
  durationSeconds: z.number().int().min(0).nullable(),
  locationId: SourceId.nullable(),
});
export type Lead = z.infer<typeof Lead>;

/** Ad spend for one campaign (optionally ad group) on one day, in the account's currency. */
export const Spend = z.object({
  id: SourceId,
  date: IsoDate,
  source: z.string().min(1),
  medium: z.string().nullable(),
  campaign: z.string().min(1),
  adGroup: z.string().nullable(),
  costCents: Cents,
  currency: z.string().length(3),
  clicks: z.number().int().min(0).nullable(),
  impressions: z.number().int().min(0).nullable(),
});
export type Spend = z.infer<typeof Spend>;
