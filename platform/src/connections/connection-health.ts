import type { Tx } from '../db/tenant-transaction.ts';

/** A practice's sync health at a glance: its worst connection, and how many it has. */
export interface ConnectionHealth {
  /**
   * `none` without connections; otherwise the worst of `auth_failed`, `error`, `rate_limited`, `ok`, and `new` only
   * when nothing has synced yet (a webhook-only source stays `new`: it never syncs, and says nothing of health).
   */
  status: 'none' | 'ok' | 'new' | 'rate_limited' | 'error' | 'auth_failed';
  connections: number;
  /** When the stalest connection last synced. */
  lastSyncedAt: Date | null;
}

const SEVERITY = ['new', 'ok', 'rate_limited', 'error', 'auth_failed'] as const;

export async function connectionHealth(tx: Tx, practiceIds: readonly string[]): Promise<Map<string, ConnectionHealth>> {
  const connections = await tx.connection.findMany({
    where: { practiceId: { in: [...practiceIds] }, pausedAt: null },
    select: { practiceId: true, status: true, lastSyncedAt: true },
  });
  const health = new Map<string, ConnectionHealth>(practiceIds.map((id) => [id, { status: 'none', connections: 0, lastSyncedAt: null }]));
  for (const c of connections) {
    const h = health.get(c.practiceId)!;
    const status = c.status as (typeof SEVERITY)[number];
    if (h.status === 'none' || SEVERITY.indexOf(status) > SEVERITY.indexOf(h.status as (typeof SEVERITY)[number])) h.status = status;
    h.connections += 1;
    if (c.lastSyncedAt && (!h.lastSyncedAt || c.lastSyncedAt < h.lastSyncedAt)) h.lastSyncedAt = c.lastSyncedAt;
  }
  return health;
}
