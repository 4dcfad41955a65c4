import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withSystem } from '../src/db/tenant-transaction.ts';

export interface SeededTenant {
  agencyId: string;
  practiceIds: string[];
  userId: string;
  /** Every id that belongs to this tenant, in any table: no query scoped to the other tenant may return one. */
  ids: Set<string>;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Seeds one tenant — an agency with two practices, a location, an admin, sessions, tokens, an invitation, a password
 * reset, recovery codes, login attempts, mail, data keys and audit events — as sourceline_system, so every table of
 * the foundation holds rows of it. Tests seed two and check that neither sees the other.
 */
export async function seedTenant(owner: pg.Pool, label: string): Promise<SeededTenant> {
  return withSystem(owner, async (db) => {
    const ids = new Set<string>();
    const one = async (sql: string, params: unknown[]) => {
      const { rows } = await db.query<{ id: string }>(`${sql} RETURNING id::text`, params);
      const id = rows[0]!.id;
      // Only UUIDs identify a tenant's rows unambiguously; the audit log's sequence numbers do not.
      if (/^[0-9a-f-]{36}$/.test(id)) ids.add(id);
      return id;
    };
    const agencyId = await one('INSERT INTO agencies (name) VALUES ($1)', [`Agency ${label}`]);
    const practiceIds = [
      await one('INSERT INTO practices (agency_id, name) VALUES ($1, $2)', [agencyId, `Practice ${label}1`]),
      await one('INSERT INTO practices (agency_id, name) VALUES ($1, $2)', [agencyId, `Practice ${label}2`]),
    ];
    await one('INSERT INTO locations (practice_id, name) VALUES ($1, $2)', [practiceIds[0], `Location ${label}`]);
    const userId = await one('INSERT INTO users (email, display_name) VALUES ($1, $2)', [
      `admin-${label.toLowerCase()}@example.test`,
      `Admin ${label}`,
    ]);
    const practiceUserId = await one('INSERT INTO users (email, display_name) VALUES ($1, $2)', [
      `analyst-${label.toLowerCase()}@example.test`,
      `Analyst ${label}`,
    ]);
    await one(`INSERT INTO memberships (user_id, agency_id, role) VALUES ($1, $2, 'admin')`, [userId, agencyId]);
    await one(`INSERT INTO memberships (user_id, practice_id, role) VALUES ($1, $2, 'analyst')`, [
      practiceUserId,
      practiceIds[1],
    ]);
    await one(`INSERT INTO sessions (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
      userId,
      sha256(`session-${label}`),
    ]);
    await one(
      `INSERT INTO api_tokens (user_id, name, prefix, token_hash, role, practice_ids) VALUES ($1, 'ci', 'slt_x', $2, 'viewer', $3)`,
      [userId, sha256(`token-${label}`), practiceIds],
    );
    await one(
      `INSERT INTO invitations (agency_id, email, role, token_hash, invited_by, expires_at)
       VALUES ($1, $2, 'viewer', $3, $4, now() + interval '7 days')`,
      [agencyId, `invitee-${label.toLowerCase()}@example.test`, sha256(`invite-${label}`), userId],
    );
    await one(`INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
      userId,
      sha256(`reset-${label}`),
    ]);
    await one('INSERT INTO mfa_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [userId, sha256(`code-${label}`)]);
    await one(`INSERT INTO login_attempts (email_key, ip, succeeded) VALUES ($1, $2, false)`, [
      sha256(`login-${label}`),
      `192.0.2.${label.charCodeAt(0) % 250}`,
    ]);
    await one(`INSERT INTO outbox_emails (to_address, subject, body_sealed) VALUES ($1, 'Hello', '\\x00')`, [
      `invitee-${label.toLowerCase()}@example.test`,
    ]);
    for (const practiceId of practiceIds) {
      await one(
        `INSERT INTO data_keys (practice_id, purpose, version, wrapped_key, master_key_id) VALUES ($1, 'data', 1, $2, 'test')`,
        [practiceId, randomBytes(60)],
      );
      await one(`INSERT INTO audit_log (practice_id, actor_user_id, action) VALUES ($1, $2, 'practice.viewed')`, [
        practiceId,
        userId,
      ]);
    }
    await one(`INSERT INTO audit_log (agency_id, actor_user_id, action) VALUES ($1, $2, 'agency.viewed')`, [
      agencyId,
      userId,
    ]);
    return { agencyId, practiceIds, userId, ids };
  });
}
