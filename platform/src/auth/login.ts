import type { PrismaClient } from '../generated/prisma/client.ts';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import { deriveKey, keyedHash } from '../crypto/derived-keys.ts';
import type { KeyRing } from '../crypto/master-key.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { verifyPassword } from './passwords.ts';
import { createSession, revokeSession, type NewSession } from './sessions.ts';

export const LOGIN_POLICY = {
  /** Consecutive failures for one e-mail address within the window that lock it. */
  maxFailuresPerAccount: 5,
  /** Failures from one IP address within the window, across addresses (credential stuffing). */
  maxFailuresPerIp: 30,
  windowMinutes: 15,
} as const;

export const INVALID_CREDENTIALS = 'The e-mail address or password is incorrect.';
export const TOO_MANY_ATTEMPTS = `Too many sign-in attempts. Wait ${LOGIN_POLICY.windowMinutes} minutes and try again, or reset your password.`;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface LoginResult {
  session: NewSession;
  userId: string;
  mfaRequired: boolean;
}

/**
 * Verifies an e-mail and password. Every failure — unknown address, wrong password, disabled account — gives the same
 * message and takes the same time, and lockout counts per address whether or not it has an account, so responses
 * never reveal which addresses exist.
 */
export async function login(
  deps: { prisma: PrismaClient; ring: KeyRing; sessionTtlHours: number },
  input: { email: string; password: string; origin: AuditOrigin; previousSessionId?: string | null },
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const loginKey = keyedHash(deriveKey(deps.ring, 'login-throttle'), email);
  const clientIp = input.origin.ip ?? 'unknown';
  const since = new Date(Date.now() - LOGIN_POLICY.windowMinutes * 60_000);

  const attempt = await withTenant(deps.prisma, { loginKey, loginEmail: email, clientIp }, async (tx) => {
    const lastSuccess = await tx.loginAttempt.findFirst({
      where: { emailKey: loginKey, succeeded: true },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
    const accountFailures = await tx.loginAttempt.count({
      where: { emailKey: loginKey, succeeded: false, createdAt: { gt: lastSuccess && lastSuccess.createdAt > since ? lastSuccess.createdAt : since } },
    });
    const ipFailures = await tx.loginAttempt.count({ where: { ip: clientIp, succeeded: false, createdAt: { gt: since } } });
    const user = await tx.user.findUnique({ where: { email } });
    return {
      locked: accountFailures >= LOGIN_POLICY.maxFailuresPerAccount || ipFailures >= LOGIN_POLICY.maxFailuresPerIp,
      user,
    };
  });

  if (attempt.locked) {
    await recordFailure(deps.prisma, { loginKey, clientIp, origin: input.origin, reason: 'locked' });
    throw new UserFacingError(TOO_MANY_ATTEMPTS, 'TOO_MANY_ATTEMPTS');
  }
  const user = attempt.user && !attempt.user.disabledAt ? attempt.user : null;
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !passwordOk) {
    await recordFailure(deps.prisma, {
      loginKey,
      clientIp,
      origin: input.origin,
      reason: user ? 'wrong_password' : 'unknown_account',
      userId: user?.id ?? null,
    });
    throw new UserFacingError(INVALID_CREDENTIALS, 'UNAUTHENTICATED');
  }

  const mfaRequired = user.mfaEnabledAt !== null;
  const session = await withTenant(deps.prisma, { userId: user.id, loginKey }, async (tx) => {
    await tx.loginAttempt.create({ data: { emailKey: loginKey, ip: clientIp, succeeded: true } });
    // A new session token on every sign-in (never the one the browser brought), so a planted cookie is useless.
    if (input.previousSessionId) await revokeSession(tx, input.previousSessionId);
    const created = await createSession(tx, {
      userId: user.id,
      mfaPending: mfaRequired,
      ip: input.origin.ip ?? null,
      userAgent: input.origin.userAgent ?? null,
      ttlHours: mfaRequired ? Math.min(deps.sessionTtlHours, 0.25) : deps.sessionTtlHours,
    });
    await recordAuditEvent(tx, {
      action: mfaRequired ? 'auth.password_verified' : 'auth.login_succeeded',
      actor: { userId: user.id },
      origin: input.origin,
      target: { type: 'session', id: created.id },
    });
    return created;
  });
  return { session, userId: user.id, mfaRequired };
}

async function recordFailure(
  prisma: PrismaClient,
  input: { loginKey: Buffer<ArrayBuffer>; clientIp: string; origin: AuditOrigin; reason: string; userId?: string | null },
): Promise<void> {
  await withTenant(prisma, { loginKey: input.loginKey, userId: input.userId ?? null }, async (tx) => {
    await tx.loginAttempt.create({ data: { emailKey: input.loginKey, ip: input.clientIp, succeeded: false } });
    await recordAuditEvent(tx, {
      action: 'auth.login_failed',
      actor: { userId: input.userId ?? null },
      origin: input.origin,
      details: { reason: input.reason },
    });
  });
}
