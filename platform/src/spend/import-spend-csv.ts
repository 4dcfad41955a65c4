import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import { channelClassifier } from '../channels/index.ts';
import { loadPracticeChannelConfig } from '../channels/practice-channel-config.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { manualSpendConnection } from './manual-spend-connection.ts';
import { parseSpendCsv, type SpendImportProblem } from './parse-spend-csv.ts';
import { lockManualSpend, spendRowData } from './write-manual-spend.ts';

export interface SpendImportResult {
  /** Rows in the file (header excluded). */
  rows: number;
  inserted: number;
  /** Rows that were already stored (same day and campaign): their amount and channel now are the file's. */
  updated: number;
  /** Empty when the file was imported; otherwise nothing was written. */
  problems: SpendImportProblem[];
}

/**
 * Imports a spend file all or nothing: every row is validated first, and one problem anywhere means nothing is written
 * and every problem is reported. Rows already stored — the same day, channel, source, medium and campaign — are
 * updated, so uploading a corrected file again fixes amounts instead of doubling them.
 */
export async function importSpendCsv(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { practiceId: string; csv: string; origin: AuditOrigin },
): Promise<SpendImportResult> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const classify = channelClassifier((await loadPracticeChannelConfig(tx, input.practiceId)).overrides);
  const { rows, problems } = parseSpendCsv(input.csv, (touch) => classify(touch).channel);
  if (problems.length > 0) return { rows: 0, inserted: 0, updated: 0, problems };

  await lockManualSpend(tx, input.practiceId);
  const connection = await manualSpendConnection(tx, keys, principal, input);
  const cipher = await keys.cipherFor(tx, input.practiceId);
  const data = rows.map(({ entry }) => ({ entry, row: spendRowData(cipher, entry) }));
  // Rows stored before (withdrawn ones too) are rewritten in place; the rest are new. A few statements over arrays, not
  // one per row: a 10,000-row file must fit in the transaction's time on a busy machine.
  const stored = await tx.$queryRaw<{ id: string; sourceId: string }[]>`
    SELECT s.id, s.source_id AS "sourceId" FROM spend s
     WHERE s.connection_id = ${connection.id}::uuid AND s.source_id = ANY(${data.map((d) => d.row.sourceId)}::text[])`;
  const storedId = new Map(stored.map((s) => [s.sourceId, s.id]));
  const fresh = data.filter((d) => !storedId.has(d.row.sourceId));
  const again = data.filter((d) => storedId.has(d.row.sourceId));
  if (fresh.length > 0) {
    const rows = fresh.map((d) => d.row);
    await tx.$executeRaw`
      INSERT INTO spend (practice_id, connection_id, source_id, content_hash, date, source, medium, campaign, cost_cents, currency, channel)
      SELECT ${input.practiceId}::uuid, ${connection.id}::uuid, u.source_id, decode(u.content_hash, 'hex'), u.date, u.source, u.medium, u.campaign,
             u.cost_cents, u.currency, u.channel
        FROM unnest(${rows.map((r) => r.sourceId)}::text[], ${rows.map((r) => Buffer.from(r.contentHash).toString('hex'))}::text[],
                    ${rows.map((r) => r.date.toISOString().slice(0, 10))}::date[], ${rows.map((r) => r.source)}::text[],
                    ${rows.map((r) => r.medium)}::text[], ${rows.map((r) => r.campaign)}::text[], ${rows.map((r) => r.costCents.toString())}::int8[],
                    ${rows.map((r) => r.currency)}::text[], ${rows.map((r) => r.channel)}::text[])
          AS u(source_id, content_hash, date, source, medium, campaign, cost_cents, currency, channel)`;
  }
  if (again.length > 0) {
    await tx.$executeRaw`
      UPDATE spend s
         SET content_hash = decode(u.content_hash, 'hex'), cost_cents = u.cost_cents, channel = u.channel, deleted_at = NULL, updated_at = now()
        FROM unnest(${again.map((d) => storedId.get(d.row.sourceId)!)}::uuid[],
                    ${again.map((d) => Buffer.from(d.row.contentHash).toString('hex'))}::text[],
                    ${again.map((d) => d.entry.amountCents)}::int8[],
                    ${again.map((d) => d.entry.channel)}::text[]) AS u(id, content_hash, cost_cents, channel)
       WHERE s.id = u.id`;
  }
  const inserted = fresh.length;
  const updated = again.length;
  await recordAuditEvent(tx, {
    action: 'spend.imported',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'connection', id: connection.id },
    details: { rows: rows.length, inserted, updated },
  });
  return { rows: rows.length, inserted, updated, problems: [] };
}
