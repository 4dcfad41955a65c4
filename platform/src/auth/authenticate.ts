import type { PrismaClient } from '../generated/prisma/client.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import { loadPrincipal, type Principal } from './principal.ts';
import { isRole } from './roles.ts';
import { hashSecret } from './secrets.ts';

export const API_TOKEN_PREFIX = 'slt_';

// last_seen_at / last_used_at are refreshed at most this often, so busy sessions do not write on every request.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves the caller from a session cookie or a bearer API token. The secret's hash is the only key the transaction
 * holds until the row is found; the user id comes from that row, never from the request.
 */
export async function authenticate(
  prisma: PrismaClient,
  credentials: { sessionToken?: string | null; bearerToken?: string | null },
): Promise<Principal | null> {
  if (credentials.bearerToken) return authenticateApiToken(prisma, credentials.bearerToken);
  if (credentials.sessionToken) return authenticateSession(prisma, credentials.sessionToken);
  return null;
}

async function authenticateSession(prisma: PrismaClient, token: string): Promise<Principal | null> {
  const tokenHash = hashSecret(token);
  return withTenant(prisma, { tokenHash }, async (tx) => {
    const session = await tx.session.findUnique({ where: { tokenHash } });
    if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
    await tx.$queryRaw`SELECT set_config('app.user_id', ${session.userId}, true)`;
    if (Date.now() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await tx.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
    }
    return loadPrincipal(tx, { userId: session.userId, sessionId: session.id, mfaPending: session.mfaPending });
  });
}

async function authenticateApiToken(prisma: PrismaClient, token: string): Promise<Principal | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const tokenHash = hashSecret(token);
  return withTenant(prisma, { tokenHash }, async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { tokenHash } });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date()) || !isRole(row.role)) return null;
    await tx.$queryRaw`SELECT set_config('app.user_id', ${row.userId}, true)`;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await tx.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    }
    return loadPrincipal(tx, {
      userId: row.userId,
      token: { id: row.id, role: row.role, practiceIds: row.practiceIds },
    });
  });
}
