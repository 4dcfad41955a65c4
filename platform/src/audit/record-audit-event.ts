import type pg from 'pg';
import type { Tx } from '../db/tenant-transaction.ts';

/** Who did it: a signed-in user, an API token (and its user), or a named system actor such as `cli` or `worker`. */
export interface AuditActor {
  userId?: string | null;
  tokenId?: string | null;
  label?: string | null;
}

/** Where the request came from. */
export interface AuditOrigin {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditEvent {
  /** `domain.verb`, e.g. `auth.login_succeeded`, `patient.phi_read`, `export.csv`, `settings.updated`. */
  action: string;
  practiceId?: string | null;
  agencyId?: string | null;
  actor: AuditActor;
  origin?: AuditOrigin;
  target?: { type: string; id: string };
  /** Names of the fields read or changed — never their values. */
  fields?: string[];
  /** Ids, counts and reasons only: never PHI. */
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Appends one event inside the caller's transaction, so the event commits with the change it describes or not at
 * all. The database trigger assigns the chain, sequence number and hash.
 */
export async function recordAuditEvent(tx: Tx, event: AuditEvent): Promise<void> {
  await tx.$executeRawUnsafe(INSERT_AUDIT_EVENT, ...auditValues(event));
}

/** The same, on a raw app-role connection inside the caller's transaction (paths that skip Prisma). */
export async function recordAuditEventWithClient(client: pg.PoolClient, event: AuditEvent): Promise<void> {
  await client.query(INSERT_AUDIT_EVENT, auditValues(event));
}

const INSERT_AUDIT_EVENT = `
  INSERT INTO audit_log (practice_id, agency_id, actor_user_id, actor_token_id, actor_label, action, target_type,
                         target_id, fields, ip, user_agent, request_id, details, prev_hash, hash)
  VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6, $7, $8, $9::text[], $10, $11, $12, $13::jsonb, '\\x'::bytea, '\\x'::bytea)`;

function auditValues(event: AuditEvent): unknown[] {
  return [
    event.practiceId ?? null, event.agencyId ?? null, event.actor.userId ?? null, event.actor.tokenId ?? null,
    event.actor.label ?? null, event.action, event.target?.type ?? null, event.target?.id ?? null, event.fields ?? [],
    event.origin?.ip ?? null, event.origin?.userAgent ?? null, event.origin?.requestId ?? null, JSON.stringify(event.details ?? {}),
  ];
}
