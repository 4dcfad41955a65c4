import { isValidTimeZone, secret } from '@sourceline/sdk';
import { z } from 'zod';

/**
 * What an Eaglesoft connection will need. Patterson publishes no REST API; integrations read the practice's
 * SQL Anywhere database over ODBC with the practice's authorization, so an agent on the practice's server is needed.
 */
export const eaglesoftSettings = z.object({
  /** The Sourceline agent on the practice's Eaglesoft server. */
  agentUrl: z.url().optional(),
  /** ODBC data source for the SQL Anywhere database (service SQLANYs_PattersonDBServer). */
  odbcDataSource: z.string().optional(),
  databaseUser: z.string().optional(),
  databasePassword: secret(z.string().min(1)).optional(),
  timeZone: z.string().refine(isValidTimeZone, 'not an IANA time zone'),
});

export type EaglesoftSettings = z.infer<typeof eaglesoftSettings>;
