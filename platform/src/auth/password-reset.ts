import type { PrismaClient } from '../generated/prisma/client.ts';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { KeyRing } from '../crypto/master-key.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import { normaliseEmail } from './login.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import { hashSecret, newSecret } from './secrets.ts';
import { revokeAllSessions } from './sessions.ts';

const RESET_MINUTES = 60;

/**
 * Sends a reset link if the address has an account. The caller always gets the same answer, so the form cannot be
 * used to discover accounts.
 */
export async function requestPasswordReset(
  deps: { prisma: PrismaClient; ring: KeyRing },
  input: { email: string; publicUrl: string; origin: AuditOrigin },
): Promise<void> {
  const { prisma, ring } = deps;
  const email = normaliseEmail(input.email);
  await withTenant(prisma, { loginEmail: email }, async (tx) => {
    const user = await tx.user.findUnique({ where: { email } });
    if (!user || user.disabledAt) return;
    await tx.$queryRaw`SELECT set_config('app.user_id', ${user.id}, true)`;
    const token = newSecret();
    await tx.passwordReset.create({
      data: { userId: user.id, tokenHash: hashSecret(token), expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) },
    });
    await queueEmail(tx, ring, {
      to: email,
      subject: 'Reset your Sourceline password',
      text: `Someone (hopefully you) asked to reset the password of your Sourceline account.\n\nChoose a new password within ${RESET_MINUTES} minutes:\n${input.publicUrl}/reset-password/${token}\n\nIf this was not you, ignore this e-mail; your password stays as it is.`,
    });
    await recordAuditEvent(tx, { action: 'auth.password_reset_requested', actor: { userId: user.id }, origin: input.origin });
  });
}

/** Sets a new password from a reset link and signs the account out everywhere. */
export async function resetPassword(
  prisma: PrismaClient,
  input: { token: string; password: string; origin: AuditOrigin },
): Promise<void> {
  checkPasswordPolicy(input.password);
  const passwordHash = await hashPassword(input.password);
  const tokenHash = hashSecret(input.token);
  await withTenant(prisma, { tokenHash }, async (tx) => {
    const reset = await tx.passwordReset.findUnique({ where: { tokenHash } });
    if (!reset || reset.usedAt || reset.expiresAt <= new Date()) {
      throw new UserFacingError('This reset link is invalid or has expired. Request a new one.', 'NOT_FOUND');
    }
    await tx.$queryRaw`SELECT set_config('app.user_id', ${reset.userId}, true)`;
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
    await tx.passwordReset.update({ where: { id: reset.id }, data: { usedAt: new Date() } });
    await revokeAllSessions(tx, reset.userId);
    await recordAuditEvent(tx, { action: 'auth.password_reset', actor: { userId: reset.userId }, origin: input.origin, target: { type: 'user', id: reset.userId } });
  });
}
