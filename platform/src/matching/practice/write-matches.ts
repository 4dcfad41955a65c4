import type pg from 'pg';
import { sqlLiteral } from '../../db/sql-literal.ts';
import { arrayLiteral } from '../../records/array-literal.ts';
import type { SqlRunner } from '../../db/tenant-transaction.ts';
import type { ManualDecision, PairResult } from '../decide.ts';
import type { Explanation } from '../explain.ts';

/** A practice-wide advisory lock: matching runs and people's verdicts on one practice take turns. */
export async function lockPracticeMatching(client: SqlRunner, practiceId: string): Promise<void> {
  await client.query(practiceMatchingLock(practiceId));
}

/** The statement that takes the lock, for a caller sending it with others in one round trip. */
export function practiceMatchingLock(practiceId: string): string {
  return `SELECT pg_advisory_xact_lock(hashtext('matching:' || ${sqlLiteral(practiceId)}))`;
}

/**
 * Replaces the stored links and review pairs of these leads (every lead of the practice when `leadIds` is null) with
 * what the engine decided, then applies every verdict on them again, so a verdict given while the engine ran still
 * holds. `verdictsRead` says the caller read the verdicts under the matching lock it still holds, so none can have
 * been given since: when there were none, there is nothing to apply.
 */
export async function replaceLeadMatches(
  client: pg.PoolClient,
  practiceId: string,
  leadIds: readonly string[] | null,
  pairs: readonly PairResult[],
  explain: (pair: PairResult) => Explanation | null,
  verdictsRead?: readonly ManualDecision[],
): Promise<void> {
  for (const statement of leadMatchesStatements(practiceId, leadIds, pairs, explain, verdictsRead)) await client.query(statement);
}

/** The same as statements of literals, for a caller sending them with others (its `COMMIT`) in one round trip. */
export function leadMatchesStatements(
  practiceId: string,
  leadIds: readonly string[] | null,
  pairs: readonly PairResult[],
  explain: (pair: PairResult) => Explanation | null,
  verdictsRead?: readonly ManualDecision[],
): string[] {
  const practice = sqlLiteral(practiceId);
  const statements = [
    leadIds === null
      ? `DELETE FROM lead_matches WHERE practice_id = ${practice}`
      : `DELETE FROM lead_matches WHERE lead_id = ANY(${literalArray(leadIds)}::uuid[])`,
  ];
  for (let from = 0; from < pairs.length; from += 5_000) {
    const chunk = pairs.slice(from, from + 5_000);
    const column = (value: (pair: PairResult) => unknown) => literalArray(chunk.map(value));
    const explanation = (pair: PairResult) => {
      const explained = explain(pair);
      return explained === null ? null : JSON.stringify(explained);
    };
    statements.push(
      `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method, manual, explanation)
       SELECT u.lead_id, u.patient_id, ${practice}, u.decision, u.confidence, u.method, u.manual, u.explanation
         FROM unnest(${column((p) => p.leadId)}::uuid[], ${column((p) => p.patientId)}::uuid[], ${column((p) => p.decision)}::text[],
                     ${column((p) => p.confidence)}::float8[], ${column((p) => p.method)}::text[], ${column((p) => p.manual)}::bool[],
                     ${column(explanation)}::jsonb[])
              AS u(lead_id, patient_id, decision, confidence, method, manual, explanation)`,
    );
  }
  if (verdictsRead?.length !== 0) statements.push(...verdictsStatements(practiceId, leadIds));
  return statements;
}

/**
 * Verdicts win over scores: "not a match" removes the pair, a manual link holds at confidence 1 (keeping the
 * engine's explanation when it had proposed the pair). Withdrawn leads and deleted charts are nobody's match.
 */
export async function applyVerdicts(client: SqlRunner, practiceId: string, leadIds: readonly string[] | null): Promise<void> {
  for (const statement of verdictsStatements(practiceId, leadIds)) await client.query(statement);
}

function verdictsStatements(practiceId: string, leadIds: readonly string[] | null): string[] {
  const practice = sqlLiteral(practiceId);
  const scope = leadIds === null ? '' : `AND d.lead_id = ANY(${literalArray(leadIds)}::uuid[])`;
  return [
    `DELETE FROM lead_matches m USING match_decisions d
      WHERE d.practice_id = ${practice} ${scope} AND d.verdict = 'not_a_match' AND m.lead_id = d.lead_id AND m.patient_id = d.patient_id`,
    `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method, manual)
     SELECT d.lead_id, d.patient_id, d.practice_id, 'link', 1, 'manual', true
       FROM match_decisions d
       JOIN leads l ON l.id = d.lead_id AND l.deleted_at IS NULL
       JOIN patients p ON p.id = d.patient_id AND p.deleted_at IS NULL AND p.status <> 'deleted'
      WHERE d.practice_id = ${practice} ${scope} AND d.verdict = 'link'
     ON CONFLICT (lead_id, patient_id) DO UPDATE SET decision = 'link', confidence = 1, method = 'manual', manual = true, matched_at = now()`,
  ];
}

const literalArray = (values: readonly unknown[]) => sqlLiteral(arrayLiteral(values));

/** Every verdict on the practice's leads (or on these), as the engine takes them. */
export async function readVerdicts(client: pg.PoolClient, practiceId: string, leadIds?: readonly string[]): Promise<ManualDecision[]> {
  const { rows } = await client.query<{ lead_id: string; patient_id: string; verdict: ManualDecision['verdict'] }>(
    `SELECT lead_id, patient_id, verdict FROM match_decisions WHERE practice_id = $1 ${leadIds ? 'AND lead_id = ANY($2::uuid[])' : ''}`,
    leadIds ? [practiceId, leadIds] : [practiceId],
  );
  return rows.map((r) => ({ leadId: r.lead_id, patientId: r.patient_id, verdict: r.verdict }));
}

/**
 * Records that these records' links were decided from the content read — only where that is still their content, so
 * a record rewritten meanwhile stays pending for the next pass. Records already marked so are not written again: a
 * full run reads every record, and most were matched with their content already.
 */
export async function markMatched(client: pg.PoolClient, table: 'leads' | 'patients', read: readonly { id: string; state: Buffer }[]): Promise<void> {
  for (let from = 0; from < read.length; from += 20_000) await client.query(markMatchedStatement(table, read.slice(from, from + 20_000)));
}

/** The same as one statement of literals, for a caller sending it with others (its `COMMIT`) in one round trip. */
export function markMatchedStatement(table: 'leads' | 'patients', read: readonly { id: string; state: Buffer }[]): string {
  const ids = literalArray(read.map((r) => r.id));
  const states = literalArray(read.map((r) => r.state));
  return `UPDATE ${table} t SET match_state = u.state
            FROM unnest(${ids}::uuid[], ${states}::bytea[]) AS u(id, state)
           WHERE t.id = u.id AND lead_settle_key(t.content_hash, t.deleted_at) = u.state AND t.match_state IS DISTINCT FROM u.state`;
}
