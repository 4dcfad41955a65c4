import type pg from 'pg';
import { inline, sessionStatement, type SessionStatement, type StatementForm } from '../../db/session-statements.ts';
import { sqlLiteral } from '../../db/sql-literal.ts';
import { sqlArrayLiteral } from '../../records/array-literal.ts';
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

/**
 * The same as statements, for a caller sending them with others (its `COMMIT`) in one round trip: written `inline`, or
 * as `execute` where the connection has prepared `WRITE_MATCHES_STATEMENTS`.
 */
export function leadMatchesStatements(
  practiceId: string,
  leadIds: readonly string[] | null,
  pairs: readonly PairResult[],
  explain: (pair: PairResult) => Explanation | null,
  verdictsRead?: readonly ManualDecision[],
  form: StatementForm = inline,
): string[] {
  const practice = sqlLiteral(practiceId);
  const statements = [
    leadIds === null ? `DELETE FROM lead_matches WHERE practice_id = ${practice}` : form(DELETE_LEAD_MATCHES, [sqlArrayLiteral(leadIds)]),
  ];
  const explanation = (pair: PairResult) => {
    const explained = explain(pair);
    return explained === null ? null : JSON.stringify(explained);
  };
  for (let from = 0; from < pairs.length; from += 5_000) {
    const chunk = pairs.slice(from, from + 5_000);
    const column = (value: (pair: PairResult) => unknown) => sqlArrayLiteral(chunk.map(value));
    statements.push(
      form(INSERT_LEAD_MATCHES, [
        practice,
        column((p) => p.leadId),
        column((p) => p.patientId),
        column((p) => p.decision),
        column((p) => p.confidence),
        column((p) => p.method),
        column((p) => p.manual),
        column(explanation),
      ]),
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
  const scope = leadIds === null ? '' : `AND d.lead_id = ANY(${sqlArrayLiteral(leadIds)}::uuid[])`;
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

const DELETE_LEAD_MATCHES = sessionStatement('match_delete_lead_matches', ['uuid[]'], 'DELETE FROM lead_matches WHERE lead_id = ANY($1)');
const INSERT_LEAD_MATCHES = sessionStatement(
  'match_insert_lead_matches',
  ['uuid', 'uuid[]', 'uuid[]', 'text[]', 'float8[]', 'text[]', 'bool[]', 'jsonb[]'],
  `INSERT INTO lead_matches (lead_id, patient_id, practice_id, decision, confidence, method, manual, explanation)
   SELECT u.lead_id, u.patient_id, $1, u.decision, u.confidence, u.method, u.manual, u.explanation
     FROM unnest($2, $3, $4, $5, $6, $7, $8) AS u(lead_id, patient_id, decision, confidence, method, manual, explanation)`,
);
const markMatchedStatements = {
  leads: markMatchedIn('leads'),
  patients: markMatchedIn('patients'),
};

function markMatchedIn(table: 'leads' | 'patients'): SessionStatement {
  return sessionStatement(
    `match_mark_${table}_matched`,
    ['uuid[]', 'bytea[]'],
    `UPDATE ${table} t SET match_state = u.state
       FROM unnest($1, $2) AS u(id, state)
      WHERE t.id = u.id AND lead_settle_key(t.content_hash, t.deleted_at) = u.state AND t.match_state IS DISTINCT FROM u.state`,
  );
}

/** What an incremental pass writes through these builders, to prepare on its connection. */
export const WRITE_MATCHES_STATEMENTS = [DELETE_LEAD_MATCHES, INSERT_LEAD_MATCHES, markMatchedStatements.leads];

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

/** The same as one statement, for a caller sending it with others (its `COMMIT`) in one round trip. */
export function markMatchedStatement(table: 'leads' | 'patients', read: readonly { id: string; state: Buffer }[], form: StatementForm = inline): string {
  return form(markMatchedStatements[table], [sqlArrayLiteral(read.map((r) => r.id)), sqlArrayLiteral(read.map((r) => r.state))]);
}
