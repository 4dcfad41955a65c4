import type { Tx } from '../../db/tenant-transaction.ts';

/** A Google ad click a lead carried, on a lead linked to a chart: ids and a time, never the lead's PHI. */
export interface LinkedAdClick {
  patientId: string;
  leadId: string;
  occurredAt: Date;
  gclid: string | null;
  gbraid: string | null;
  wbraid: string | null;
}

/**
 * The leads linked to these charts (decided links only: review-queue pairs are not links) that carry a Google click
 * id — a gclid, or the gbraid/wbraid an iOS 14+ click leaves instead — oldest first. Withdrawn leads are nobody's.
 */
export function adClicksLinkedToPatients(tx: Tx, patientIds: readonly string[]): Promise<LinkedAdClick[]> {
  return tx.$queryRaw<LinkedAdClick[]>`
    SELECT m.patient_id AS "patientId", l.id AS "leadId", l.occurred_at AS "occurredAt", nullif(l.gclid, '') AS gclid,
           nullif(l.click_ids->>'gbraid', '') AS gbraid, nullif(l.click_ids->>'wbraid', '') AS wbraid
      FROM lead_matches m JOIN leads l ON l.id = m.lead_id AND l.deleted_at IS NULL
     WHERE m.patient_id = ANY(${[...patientIds]}::uuid[]) AND m.decision = 'link'
       AND (nullif(l.gclid, '') IS NOT NULL OR nullif(l.click_ids->>'gbraid', '') IS NOT NULL OR nullif(l.click_ids->>'wbraid', '') IS NOT NULL)
     ORDER BY m.patient_id, l.occurred_at, l.id`;
}
