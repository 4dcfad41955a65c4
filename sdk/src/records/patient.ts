import { z } from 'zod';
import { Email, IsoDate, IsoDateTime, PhoneText, PostalAddress, SourceId } from './common.ts';

export const PatientStatus = z.enum(['active', 'inactive', 'archived', 'deleted', 'deceased', 'prospective', 'non-patient']);
export type PatientStatus = z.infer<typeof PatientStatus>;

export const PatientPhone = z.object({ kind: z.enum(['mobile', 'home', 'work', 'other']), number: PhoneText });
export type PatientPhone = z.infer<typeof PatientPhone>;

/** A person on the practice's books. Deleted patients stay as records with status `deleted` (sources never forget them). */
export const Patient = z.object({
  id: SourceId,
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  middleName: z.string().nullable(),
  preferredName: z.string().nullable(),
  birthDate: IsoDate.nullable(),
  gender: z.enum(['female', 'male', 'other', 'unknown']),
  status: PatientStatus,
  phones: z.array(PatientPhone),
  email: Email.nullable(),
  address: PostalAddress.nullable(),
  /** The head of household (guarantor); equals `id` for the guarantor themself. */
  guarantorId: SourceId.nullable(),
  primaryProviderId: SourceId.nullable(),
  locationId: SourceId.nullable(),
  /** The first visit as the source records it; sources set it heuristically, so it can be null despite visits. */
  firstVisitOn: IsoDate.nullable(),
  createdOn: IsoDate.nullable(),
  sourceUpdatedAt: IsoDateTime.nullable(),
});
export type Patient = z.infer<typeof Patient>;
