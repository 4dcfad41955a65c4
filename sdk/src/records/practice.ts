import { z } from 'zod';
import { PostalAddress, SourceId } from './common.ts';

export const Provider = z.object({
  id: SourceId,
  abbreviation: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  role: z.enum(['dentist', 'hygienist', 'other']),
  isActive: z.boolean(),
  npi: z.string().nullable(),
});
export type Provider = z.infer<typeof Provider>;

/** A place patients are seen (an Open Dental clinic). */
export const Location = z.object({
  id: SourceId,
  name: z.string().min(1),
  abbreviation: z.string().nullable(),
  address: PostalAddress.nullable(),
  phone: z.string().nullable(),
  /** IANA zone if the source knows it; otherwise the practice's zone applies. */
  timeZone: z.string().nullable(),
});
export type Location = z.infer<typeof Location>;

/** How a patient heard of the practice: one source attached to one patient (Open Dental's RefFrom refattach). */
export const ReferralSource = z.object({
  id: SourceId,
  patientId: SourceId,
  sourceName: z.string().min(1),
  sourceKind: z.enum(['marketing', 'doctor', 'patient', 'other']),
  referringPatientId: SourceId.nullable(),
  referredOn: z.string().nullable(),
  /** 0 is the first source the practice recorded for this patient. */
  rank: z.number().int().min(0),
});
export type ReferralSource = z.infer<typeof ReferralSource>;
