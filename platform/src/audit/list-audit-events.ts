import type { Tx } from '../db/tenant-transaction.ts';
import type { AuditLog, Prisma } from '../generated/prisma/client.ts';

/** Whose log: a practice's, or an agency's own (its settings, members, invitations). */
export type AuditLogOwner = { practiceId: string } | { agencyId: string };

/** Which of its events. */
export interface AuditEventFilter {
  /** An exact action, or a prefix ending in "." (`auth.`). */
  action?: string | null;
  actorUserId?: string | null;
  from?: Date | null;
  /** Exclusive. */
  to?: Date | null;
}

/** Keyset paging on the log's id: `after` reads older events, `before` newer ones (oldest first when `inverted`). */
export interface AuditEventPage {
  after?: bigint | null;
  before?: bigint | null;
  limit: number;
  inverted?: boolean;
}

/** A page of audit events, newest first. Reading it is the caller's to audit (`audit_log.read`, `export.csv`). */
export function listAuditEvents(tx: Tx, owner: AuditLogOwner, filter: AuditEventFilter, page: AuditEventPage): Promise<AuditLog[]> {
  const where: Prisma.AuditLogWhereInput = 'practiceId' in owner ? { practiceId: owner.practiceId } : { agencyId: owner.agencyId };
  if (filter.action) where.action = filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action;
  if (filter.actorUserId) where.actorUserId = filter.actorUserId;
  if (filter.from || filter.to) where.occurredAt = { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) };
  if (page.after || page.before) where.id = { ...(page.after ? { lt: page.after } : {}), ...(page.before ? { gt: page.before } : {}) };
  return tx.auditLog.findMany({ where, orderBy: { id: page.inverted ? 'asc' : 'desc' }, take: page.limit });
}

/** The users named as actors of some events, by id: who they are in the log's words. */
export async function auditActors(tx: Tx, userIds: readonly string[]): Promise<Map<string, { displayName: string; email: string }>> {
  const users = await tx.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, displayName: true, email: true } });
  return new Map(users.map((u) => [u.id, { displayName: u.displayName, email: u.email }]));
}
