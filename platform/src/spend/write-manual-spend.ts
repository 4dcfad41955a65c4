import type { AuditOrigin } from '../audit/record-audit-event.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { PracticeCipher, PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import type { Spend as SpendRow } from '../generated/prisma/client.ts';
import { contentHash } from '../records/write-records.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { ManualSpendEntry, spendRecordOf, type ManualSpendEntryInput } from './manual-spend-entry.ts';
import { manualSpendConnection, MANUAL_SPEND_CONNECTOR } from './manual-spend-connection.ts';

const actorOf = (principal: Principal) => ({ userId: principal.userId, tokenId: principal.tokenId });

/** Serialises one practice's manual spend writes: the first creates its connection, and ids must stay unique. */
export async function lockManualSpend(tx: Tx, practiceId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`sourceline:manual-spend:${practiceId}`}, 0))`;
}

export function parseManualSpendEntry(input: ManualSpendEntryInput): ManualSpendEntry {
  const parsed = ManualSpendEntry.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'entry'}: ${issue.message}`);
  throw new UserFacingError(`The spend row is not valid — ${problems.join('; ')}.`, 'BAD_USER_INPUT', { field: String(parsed.error.issues[0]?.path[0] ?? 'entry') });
}

/** The columns a manual row is stored with, content-hashed as the record writer hashes every record. */
export function spendRowData(cipher: PracticeCipher, entry: ManualSpendEntry) {
  const record = spendRecordOf(entry);
  return {
    sourceId: record.id,
    contentHash: new Uint8Array(contentHash(cipher, 'spend', record)),
    date: new Date(`${record.date}T00:00:00Z`),
    source: record.source,
    medium: record.medium,
    campaign: record.campaign,
    adGroup: null,
    costCents: BigInt(record.costCents),
    currency: record.currency,
    clicks: null,
    impressions: null,
    channel: entry.channel,
    deletedAt: null,
  };
}

/**
 * The stored row, live or withdrawn, that has this entry's id. A live one other than `self` is a duplicate; a withdrawn
 * one is cleared away, its id free again.
 */
async function claimSourceId(tx: Tx, connectionId: string, sourceId: string, self: string | null): Promise<void> {
  const clash = await tx.spend.findUnique({ where: { connectionId_sourceId: { connectionId, sourceId } } });
  if (!clash || clash.id === self) return;
  if (clash.deletedAt === null) {
    throw new UserFacingError('There is already spend for that day, channel, source, medium and campaign: edit that row instead.', 'CONFLICT');
  }
  await tx.spend.delete({ where: { id: clash.id } });
}

async function manualRowOrThrow(tx: Tx, principal: Principal, id: string): Promise<SpendRow> {
  const row = await tx.spend.findUnique({ where: { id } });
  if (!row || row.deletedAt !== null) throw new UserFacingError('No spend row with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, row.practiceId, 'admin');
  const connection = await tx.connection.findUniqueOrThrow({ where: { id: row.connectionId }, select: { connectorId: true } });
  if (connection.connectorId !== MANUAL_SPEND_CONNECTOR) {
    throw new UserFacingError('This spend comes from a connected ad account and changes there, not here.', 'BAD_USER_INPUT');
  }
  return row;
}

export async function addManualSpend(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { practiceId: string; entry: ManualSpendEntryInput; origin: AuditOrigin },
): Promise<SpendRow> {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const entry = parseManualSpendEntry(input.entry);
  await lockManualSpend(tx, input.practiceId);
  const connection = await manualSpendConnection(tx, keys, principal, input);
  const data = spendRowData(await keys.cipherFor(tx, input.practiceId), entry);
  await claimSourceId(tx, connection.id, data.sourceId, null);
  const row = await tx.spend.create({ data: { ...data, practiceId: input.practiceId, connectionId: connection.id } });
  await recordAuditEvent(tx, {
    action: 'spend.created',
    practiceId: input.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'spend', id: row.id },
    details: { date: entry.date, channel: entry.channel, amountCents: entry.amountCents },
  });
  return row;
}

export async function updateManualSpend(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { id: string; entry: ManualSpendEntryInput; origin: AuditOrigin },
): Promise<SpendRow> {
  const existing = await manualRowOrThrow(tx, principal, input.id);
  const entry = parseManualSpendEntry(input.entry);
  await lockManualSpend(tx, existing.practiceId);
  const data = spendRowData(await keys.cipherFor(tx, existing.practiceId), entry);
  await claimSourceId(tx, existing.connectionId, data.sourceId, existing.id);
  const row = await tx.spend.update({ where: { id: existing.id }, data: { ...data, updatedAt: new Date() } });
  const fields = (['date', 'channel', 'source', 'medium', 'campaign', 'costCents', 'currency'] as const).filter(
    (k) => String(existing[k]) !== String(row[k]),
  );
  await recordAuditEvent(tx, {
    action: 'spend.updated',
    practiceId: existing.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'spend', id: existing.id },
    fields,
    details: { date: entry.date, channel: entry.channel, amountCents: entry.amountCents },
  });
  return row;
}

/** Withdraws a manual row. It stays as a tombstone, so rollups see which day changed, until its id is reused. */
export async function deleteManualSpend(tx: Tx, principal: Principal, input: { id: string; origin: AuditOrigin }): Promise<SpendRow> {
  const existing = await manualRowOrThrow(tx, principal, input.id);
  const row = await tx.spend.update({ where: { id: existing.id }, data: { deletedAt: new Date(), updatedAt: new Date() } });
  await recordAuditEvent(tx, {
    action: 'spend.deleted',
    practiceId: existing.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'spend', id: existing.id },
  });
  return row;
}
