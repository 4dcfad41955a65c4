import { defineConnector } from '@sourceline/sdk';
import { z } from 'zod';

/** Nothing to configure: the rows are typed in or uploaded by the practice's admins. */
export const manualSpendSettings = z.object({});

/**
 * Spend for channels without an API (print, radio, billboards, directory listings): admins add rows or import a CSV
 * in Sourceline, and the platform stores them as `spend` records of the practice's one `manual-spend` connection, beside
 * the spend ad APIs report, so rollups read one table. There is nothing to pull or receive: no streams, no webhooks.
 */
const manualSpend = defineConnector({
  id: 'manual-spend',
  kind: 'lead-source',
  displayName: 'Manual spend',
  description: 'Spend entered by hand or imported from a CSV file, for channels without an API (print, radio, directories).',
  settings: manualSpendSettings,
});

export default manualSpend;
export { manualSpend };
