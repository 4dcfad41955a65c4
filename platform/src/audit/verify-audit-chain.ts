import type pg from 'pg';
import { withSystem } from '../db/tenant-transaction.ts';

export interface BrokenLink {
  chain: string;
  seq: string;
  id: string | null;
  reason: string;
}

export interface ChainVerification {
  chains: number;
  events: number;
  firstBroken: BrokenLink | null;
}

const BATCH = 5_000;

/**
 * Recomputes every chain from its genesis and reports the first row whose hash, predecessor link or sequence number
 * does not hold, or a chain whose recorded head does not match its last row (a deletion at the end).
 */
export async function verifyAuditChain(owner: pg.Pool): Promise<ChainVerification> {
  return withSystem(owner, async (client) => {
    const heads = await client.query<{ chain: string; seq: string; hash: Buffer }>(
      'SELECT chain, seq::text, hash FROM audit_chain_heads ORDER BY chain',
    );
    const chainsInLog = await client.query<{ chain: string }>('SELECT DISTINCT chain FROM audit_log');
    const headByChain = new Map(heads.rows.map((h) => [h.chain, h]));
    for (const { chain } of chainsInLog.rows) {
      if (!headByChain.has(chain)) return { chains: heads.rowCount ?? 0, events: 0, firstBroken: { chain, seq: '1', id: null, reason: 'chain has no recorded head' } };
    }
    let events = 0;
    for (const head of heads.rows) {
      const result = await verifyOneChain(client, head.chain);
      events += result.events;
      if (result.broken) return { chains: heads.rows.length, events, firstBroken: result.broken };
      if (result.lastSeq !== head.seq || !result.lastHash?.equals(head.hash)) {
        return {
          chains: heads.rows.length,
          events,
          firstBroken: { chain: head.chain, seq: head.seq, id: null, reason: `the chain ends at seq ${result.lastSeq} but its head records seq ${head.seq}: rows were removed` },
        };
      }
    }
    return { chains: heads.rows.length, events, firstBroken: null };
  });
}

async function verifyOneChain(
  client: pg.PoolClient,
  chain: string,
): Promise<{ events: number; lastSeq: string; lastHash: Buffer | null; broken: BrokenLink | null }> {
  let expectedSeq = 1n;
  let previous: Buffer = (
    await client.query<{ h: Buffer }>(`SELECT sha256(convert_to('sourceline-audit:' || $1::text, 'UTF8')) AS h`, [chain])
  ).rows[0]!.h;
  let lastHash: Buffer | null = null;
  let events = 0;
  for (;;) {
    const { rows } = await client.query<{ id: string; seq: string; prev_hash: Buffer; hash: Buffer; expected: Buffer }>(
      `SELECT a.id::text, a.seq::text, a.prev_hash, a.hash, audit_row_hash(a) AS expected
         FROM audit_log a WHERE a.chain = $1 AND a.seq >= $2 ORDER BY a.seq LIMIT ${BATCH}`,
      [chain, expectedSeq.toString()],
    );
    for (const row of rows) {
      const at = { chain, seq: row.seq, id: row.id };
      if (BigInt(row.seq) !== expectedSeq) return { events, lastSeq: row.seq, lastHash, broken: { ...at, reason: `expected seq ${expectedSeq}: rows are missing` } };
      if (!row.prev_hash.equals(previous)) return { events, lastSeq: row.seq, lastHash, broken: { ...at, reason: 'prev_hash does not match the previous row' } };
      if (!row.hash.equals(row.expected)) return { events, lastSeq: row.seq, lastHash, broken: { ...at, reason: 'content does not match its hash: the row was altered' } };
      previous = row.hash;
      lastHash = row.hash;
      expectedSeq += 1n;
      events += 1;
    }
    if (rows.length < BATCH) return { events, lastSeq: (expectedSeq - 1n).toString(), lastHash, broken: null };
  }
}
