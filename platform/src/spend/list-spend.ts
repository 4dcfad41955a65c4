import { IsoDate } from '@sourceline/sdk';
import { channelClassifier, ChannelId } from '../channels/index.ts';
import { loadPracticeChannelConfig } from '../channels/practice-channel-config.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import type { Connection, Spend as SpendRow } from '../generated/prisma/client.ts';
import { MANUAL_SPEND_CONNECTOR } from './manual-spend-connection.ts';

/** A stored spend row with the channel it counts under, and whether an admin may edit it here. */
export interface SpendItem extends SpendRow {
  /** The connection it came from (read with the row: a page of spend names few connections, many times). */
  connection: Connection;
  resolvedChannel: ChannelId;
  /** `entered` with the row (manual spend), or `classified` from its source and medium (ad APIs). */
  channelOrigin: 'entered' | 'classified';
  editable: boolean;
}

/** A year (and a day, for leap years) of daily campaign rows is the most one request reads. */
const MAX_RANGE_DAYS = 366;

/** Checks a range of spend days (a bad or too long one is the caller's error, naming the argument) as a date filter. */
export function spendDateRange(from: string, to: string): { gte: Date; lte: Date } {
  const start = IsoDate.safeParse(from);
  const end = IsoDate.safeParse(to);
  if (!start.success) throw new UserFacingError('`from` must be a date as YYYY-MM-DD.', 'BAD_USER_INPUT', { field: 'from' });
  if (!end.success) throw new UserFacingError('`to` must be a date as YYYY-MM-DD.', 'BAD_USER_INPUT', { field: 'to' });
  const gte = new Date(`${start.data}T00:00:00Z`);
  const lte = new Date(`${end.data}T00:00:00Z`);
  const days = (lte.getTime() - gte.getTime()) / 86_400_000;
  if (days < 0 || days >= MAX_RANGE_DAYS) throw new UserFacingError(`Ask for 1 to ${MAX_RANGE_DAYS} days of spend at a time.`, 'BAD_USER_INPUT', { field: 'to' });
  return { gte, lte };
}

type SpendWithConnection = SpendRow & { connection: Connection };

function toItems(rows: readonly SpendWithConnection[], classify: ReturnType<typeof channelClassifier>): SpendItem[] {
  return rows.map((row) => {
    const entered = ChannelId.safeParse(row.channel);
    return {
      ...row,
      resolvedChannel: entered.success ? entered.data : classify({ source: row.source, medium: row.medium, campaign: row.campaign }).channel,
      channelOrigin: entered.success ? 'entered' : 'classified',
      editable: row.connection.connectorId === MANUAL_SPEND_CONNECTOR,
    };
  });
}

async function practiceClassifier(tx: Tx, practiceId: string) {
  return channelClassifier((await loadPracticeChannelConfig(tx, practiceId)).overrides);
}

/**
 * The practice's spend from every source, `from` to `to` inclusive, newest day first — all of it, or a page (the
 * export reads a year of daily rows a page at a time). Rows from ad APIs carry no channel of their own and are
 * classified here with the practice's rules, as leads are; manual rows keep theirs.
 */
export async function listSpend(tx: Tx, practiceId: string, range: { from: string; to: string }, page?: { limit: number; offset: number }): Promise<SpendItem[]> {
  const rows = await tx.spend.findMany({
    where: { practiceId, deletedAt: null, date: spendDateRange(range.from, range.to) },
    orderBy: [{ date: 'desc' }, { campaign: 'asc' }, { id: 'asc' }],
    take: page?.limit,
    skip: page?.offset,
  });
  return toItems(await withConnections(tx, rows), await practiceClassifier(tx, practiceId));
}

/** Record tables reference their connection by id (no foreign key to follow), so a page's few connections are read once. */
async function withConnections(tx: Tx, rows: SpendRow[]): Promise<SpendWithConnection[]> {
  const connections = await tx.connection.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.connectionId))] } } });
  const byId = new Map(connections.map((c) => [c.id, c]));
  return rows.map((row) => ({ ...row, connection: byId.get(row.connectionId)! }));
}

/** One live spend row by id, if this transaction may see it. */
export async function findSpendItem(tx: Tx, id: string): Promise<SpendItem | null> {
  const row = await tx.spend.findFirst({ where: { id, deletedAt: null } });
  return row ? toItems(await withConnections(tx, [row]), await practiceClassifier(tx, row.practiceId))[0]! : null;
}
