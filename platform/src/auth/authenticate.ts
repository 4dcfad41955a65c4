import type pg from 'pg';
import { withTenantClient } from '../db/tenant-transaction.ts';
import { loadPrincipal, type Principal } from './principal.ts';
import { isRole } from './roles.ts';
import { hashSecret } from './secrets.ts';

export const API_TOKEN_PREFIX = 'slt_';

// last_seen_at / last_used_at are refreshed at most this often, so busy sessions do not write on every request.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves the caller from a session cookie or a bearer API token. The secret's hash is the only key the transaction
 * holds until the row is found; the user id comes from that row, never from the request. Every request pays for this,
 * so it is plain SQL on the app pool, a handful of round trips: the row found names its user in the same statement.
 */
export async function authenticate(
  app: pg.Pool,
  credentials: { sessionToken?: string | null; bearerToken?: string | null },
): Promise<Principal | null> {
  if (credentials.bearerToken) return authenticateApiToken(app, credentials.bearerToken);
  if (credentials.sessionToken) return authenticateSession(app, credentials.sessionToken);
  return null;
}

async function authenticateSession(app: pg.Pool, token: string): Promise<Principal | null> {
  const tokenHash = hashSecret(token);
  return withTenantClient(app, { tokenHash }, async (client) => {
    const { rows } = await client.query<{ id: string; user_id: string; mfa_pending: boolean; last_seen_at: Date }>(
      `SELECT id, user_id, mfa_pending, last_seen_at, set_config('app.user_id', user_id::text, true)
         FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    const session = rows[0];
    if (!session) return null;
    if (Date.now() - session.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
      await client.query('UPDATE sessions SET last_seen_at = now() WHERE id = $1', [session.id]);
    }
    return loadPrincipal(client, { userId: session.user_id, sessionId: session.id, mfaPending: session.mfa_pending });
  });
}

async function authenticateApiToken(app: pg.Pool, token: string): Promise<Principal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const tokenHash = hashSecret(token);
  return withTenantClient(app, { tokenHash }, async (client) => {
    const { rows } = await client.query<{ id: string; user_id: string; role: string; practice_ids: string[]; last_used_at: Date | null }>(
      `SELECT id, user_id, role, practice_ids, last_used_at, set_config('app.user_id', user_id::text, true)
         FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row || !isRole(row.role)) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      await client.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
    }
    return loadPrincipal(client, { userId: row.user_id, token: { id: row.id, role: row.role, practiceIds: row.practice_ids } });
  });
}
