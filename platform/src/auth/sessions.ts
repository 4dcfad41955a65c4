import type { Tx } from '../db/tenant-transaction.ts';
import { hashSecret, newSecret } from './secrets.ts';

export const SESSION_COOKIE = 'sl_session';
export const CSRF_COOKIE = 'sl_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface NewSession {
  id: string;
  /** The cookie value: returned once, stored only as its hash. */
  token: string;
  expiresAt: Date;
}

/** Opens a session for a user whose password (and, unless `mfaPending`, second factor) was just verified. */
export async function createSession(
  tx: Tx,
  input: { userId: string; mfaPending: boolean; ip: string | null; userAgent: string | null; ttlHours: number },
): Promise<NewSession> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  const row = await tx.session.create({
    data: {
      userId: input.userId,
      tokenHash: hashSecret(token),
      mfaPending: input.mfaPending,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 400) ?? null,
      expiresAt,
    },
  });
  return { id: row.id, token, expiresAt };
}

export async function revokeSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of a user, e.g. after a password reset. */
export async function revokeAllSessions(tx: Tx, userId: string): Promise<void> {
  await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}
