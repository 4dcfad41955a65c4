import pg from "pg";
import { readServerState } from "./state";

/** An explanation shaped as the engine writes them: the comparisons a review card shows. */
export interface PairExplanation {
  role: string;
  alternative: string;
  priorWeight: number;
  comparisons: Array<{ comparison: string; outcome: string; weight: number }>;
  totalWeight: number;
  confidence: number;
}

/**
 * Leaves one lead–chart pair of the practice for a person, as the engine leaves those it cannot decide: the seeded
 * world's leads are all decided, and the queue's screens need one. Written as the system role, like the engine.
 */
export async function queueReviewPair(practiceId: string, explanation: PairExplanation): Promise<void> {
  const client = new pg.Client({ connectionString: readServerState().ownerUrl });
  await client.connect();
  try {
    await client.query("SET ROLE sourceline_system");
    await client.query(
      `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method, explanation)
       SELECT l.id, p.id, l.practice_id, 'review', $3, 'name_date', $2
         FROM leads l JOIN patients p ON p.practice_id = l.practice_id AND p.first_visit_on IS NOT NULL
        WHERE l.practice_id = $1 AND NOT EXISTS (SELECT 1 FROM lead_matches m WHERE m.lead_id = l.id AND m.patient_id = p.id)
        ORDER BY l.id, p.id LIMIT 1`,
      [practiceId, JSON.stringify(explanation), explanation.confidence],
    );
  } finally {
    await client.end();
  }
}
