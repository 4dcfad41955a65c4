import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { KeyRing } from '../crypto/master-key.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { hashSecret } from './secrets.ts';
import { createSession, revokeSession, type NewSession } from './sessions.ts';

const ISSUER = 'Sourceline';
const PERIOD = 30;
const RECOVERY_CODES = 10;

export const mfaSecretContext = (userId: string) => `sourceline:mfa:${userId}`;

function totpFor(secret: OTPAuth.Secret, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret });
}

export interface MfaEnrollment {
  /** For the authenticator app: scan as a QR code or type `secret` in by hand. */
  otpauthUri: string;
  secret: string;
}

/** Starts (or restarts) enrolment: a new secret, stored sealed until a code from it confirms the enrolment. */
export async function startMfaEnrollment(tx: Tx, ring: KeyRing, userId: string): Promise<MfaEnrollment> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.mfaEnabledAt) throw new UserFacingError('Two-factor authentication is already on for this account.', 'CONFLICT');
  const secret = new OTPAuth.Secret({ size: 20 });
  await tx.user.update({
    where: { id: userId },
    data: { mfaSecret: ring.sealSecret(Buffer.from(secret.base32), mfaSecretContext(userId)), mfaLastStep: null },
  });
  return { otpauthUri: totpFor(secret, user.email).toString(), secret: secret.base32 };
}

/**
 * Checks a six-digit code against the user's secret, allowing one step of clock drift either way, and refuses a code
 * from a time step already used (replay).
 */
async function acceptTotp(tx: Tx, ring: KeyRing, userId: string, code: string): Promise<boolean> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.mfaSecret || !/^\d{6}$/.test(code.trim())) return false;
  const secret = OTPAuth.Secret.fromBase32(ring.openSecret(Buffer.from(user.mfaSecret), mfaSecretContext(userId)).toString());
  const delta = totpFor(secret, user.email).validate({ token: code.trim(), window: 1 });
  if (delta === null) return false;
  const step = BigInt(Math.floor(Date.now() / 1000 / PERIOD) + delta);
  if (user.mfaLastStep !== null && step <= user.mfaLastStep) return false;
  await tx.user.update({ where: { id: userId }, data: { mfaLastStep: step } });
  return true;
}

/** Confirms enrolment with a first code and returns the one-time recovery codes, shown to the user once. */
export async function confirmMfaEnrollment(
  tx: Tx,
  ring: KeyRing,
  input: { userId: string; code: string; origin: AuditOrigin },
): Promise<string[]> {
  if (!(await acceptTotp(tx, ring, input.userId, input.code))) {
    throw new UserFacingError('That code did not match. Check the time on your device and enter the current code.', 'BAD_USER_INPUT', { field: 'code' });
  }
  await tx.user.update({ where: { id: input.userId }, data: { mfaEnabledAt: new Date() } });
  const codes = await replaceRecoveryCodes(tx, input.userId);
  await recordAuditEvent(tx, { action: 'auth.mfa_enabled', actor: { userId: input.userId }, origin: input.origin, target: { type: 'user', id: input.userId } });
  return codes;
}

async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = randomBytes(5).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await tx.mfaRecoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashSecret(code) })) });
  return codes;
}

/**
 * Completes a sign-in that is waiting for its second factor, with a TOTP code or an unused recovery code. The pending
 * session is replaced by a fresh one: the token that crossed the password step never becomes a full session.
 */
export async function completeMfaLogin(
  tx: Tx,
  ring: KeyRing,
  input: { userId: string; pendingSessionId: string; code: string; origin: AuditOrigin; ttlHours: number },
): Promise<NewSession> {
  const code = input.code.trim().toLowerCase();
  let method: 'totp' | 'recovery_code' | null = null;
  if (await acceptTotp(tx, ring, input.userId, code)) method = 'totp';
  else {
    const used = await tx.mfaRecoveryCode.updateMany({
      where: { userId: input.userId, codeHash: hashSecret(code), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (used.count === 1) method = 'recovery_code';
  }
  if (!method) {
    await recordAuditEvent(tx, { action: 'auth.mfa_failed', actor: { userId: input.userId }, origin: input.origin });
    throw new UserFacingError('That code did not match. Enter the current code from your authenticator app, or a recovery code.', 'BAD_USER_INPUT', { field: 'code' });
  }
  await revokeSession(tx, input.pendingSessionId);
  const session = await createSession(tx, {
    userId: input.userId,
    mfaPending: false,
    ip: input.origin.ip ?? null,
    userAgent: input.origin.userAgent ?? null,
    ttlHours: input.ttlHours,
  });
  await recordAuditEvent(tx, {
    action: 'auth.login_succeeded',
    actor: { userId: input.userId },
    origin: input.origin,
    target: { type: 'session', id: session.id },
    details: { second_factor: method },
  });
  return session;
}

/** Turns MFA off (after the caller re-verified the password); refused where the agency requires it. */
export async function disableMfa(tx: Tx, input: { userId: string; origin: AuditOrigin; requiredByAgency: boolean }): Promise<void> {
  if (input.requiredByAgency) {
    throw new UserFacingError('Your agency requires two-factor authentication, so it cannot be turned off.', 'FORBIDDEN');
  }
  await tx.user.update({ where: { id: input.userId }, data: { mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null } });
  await tx.mfaRecoveryCode.deleteMany({ where: { userId: input.userId } });
  await recordAuditEvent(tx, { action: 'auth.mfa_disabled', actor: { userId: input.userId }, origin: input.origin, target: { type: 'user', id: input.userId } });
}
