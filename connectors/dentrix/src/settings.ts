import { isValidTimeZone, secret } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * What a Dentrix connection will need. Dentrix G-series has no public cloud API: data is read through the Dentrix
 * Developer Program (DDP) — a vendor DLL hands out an ODBC connection string — so a small agent must run on the
 * practice's server. Dentrix Enterprise has an OAuth client-credentials Web API whose coverage is unconfirmed.
 */
export const dentrixSettings = z.object({
  edition: z.enum(['g-series', 'enterprise', 'ascend']).default('g-series'),
  /** The Sourceline agent on the practice's Dentrix server (G-series). */
  agentUrl: z.url().optional(),
  /** The DDP key file contents issued under the practice's DDP agreement. */
  ddpKey: secret(z.string().min(1)).optional(),
  /** Dentrix Enterprise Web API client credentials. */
  clientId: z.string().optional(),
  clientSecret: secret(z.string().min(1)).optional(),
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone'),
});

export type DentrixSettings = z.infer<typeof dentrixSettings>;
