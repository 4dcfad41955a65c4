import type { Tx } from '../db/tenant-transaction.ts';

/**
 * Serialises everything that derives lead columns for one practice — settling newly landed leads and reprocessing its
 * history — so two of them never compute one person's episodes from different snapshots. Other practices are not
 * blocked. Held until the transaction ends; keep those transactions short.
 */
export async function lockLeadProcessing(tx: Tx, practiceId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`sourceline:lead-processing:${practiceId}`}, 0))`;
}
