import type { Lead, RecordKind } from '@sourceline/sdk';
import { normalizeEmail } from '../matching/normalize/email.ts';
import { parsePhone } from '../matching/normalize/phone.ts';
import type { IdentifierKeys } from '../records/write-records.ts';

/** The identifier kinds that say two contacts are the same person; name keys only suggest it. */
export const PERSON_IDENTIFIER_KINDS = ['phone', 'email'] as const;

/**
 * A lead's identity keys — `phone:<E.164>` and `email:<canonical>`, the forms the matcher blocks patients on — stored
 * only as blind digests in `lead_identifiers`. A seven-digit number without its area code is left out: in overlay
 * regions it could be several people's, and "same person" must not guess.
 */
export function leadIdentifierKeys(lead: Lead): string[] {
  const keys: string[] = [];
  const phone = lead.phone ? parsePhone(lead.phone) : null;
  if (phone?.kind === 'full') keys.push(`phone:${phone.number}`);
  const email = lead.email ? normalizeEmail(lead.email) : null;
  if (email) keys.push(`email:${email}`);
  return keys;
}

/** The identifier keys the platform stores for records as they land, by kind (the record writers' option). */
export const landingIdentifierKeys: { [K in RecordKind]?: IdentifierKeys<K> } = { lead: leadIdentifierKeys };
