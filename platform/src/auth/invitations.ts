import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { KeyRing } from '../crypto/master-key.ts';
import { withTenant, type Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { queueEmail } from '../mail/outbox.ts';
import { normaliseEmail } from './login.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import type { Principal } from './principal.ts';
import { roleAtLeast, type Role } from './roles.ts';
import { hashSecret, newSecret } from './secrets.ts';

const INVITATION_DAYS = 7;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type InvitationScope = { agencyId: string; practiceId?: undefined } | { practiceId: string; agencyId?: undefined };

/** Invites someone by e-mail to an agency or a practice with a role; the link in the e-mail is valid for a week. */
export async function createInvitation(
  tx: Tx,
  ring: KeyRing,
  principal: Principal,
  input: { email: string; role: Role; scope: InvitationScope; publicUrl: string; origin: AuditOrigin },
): Promise<{ id: string }> {
  const email = normaliseEmail(input.email);
  if (!EMAIL_PATTERN.test(email)) throw new UserFacingError('Enter a valid e-mail address.', 'BAD_USER_INPUT', { field: 'email' });
  const { agencyId, practiceId } = input.scope;
  const callerRole = agencyId ? principal.agencyRoles.get(agencyId) : principal.practiceRoles.get(practiceId!);
  if (!roleAtLeast(callerRole, 'admin')) throw new UserFacingError('Only admins can invite people here.', 'FORBIDDEN');
  const token = newSecret();
  const row = await tx.invitation.create({
    data: {
      email,
      role: input.role,
      agencyId: agencyId ?? null,
      practiceId: practiceId ?? null,
      tokenHash: hashSecret(token),
      invitedBy: principal.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    },
  });
  const where = agencyId
    ? (await tx.agency.findUniqueOrThrow({ where: { id: agencyId } })).name
    : (await tx.practice.findUniqueOrThrow({ where: { id: practiceId! } })).name;
  await queueEmail(tx, ring, {
    to: email,
    subject: `You're invited to ${where} on Sourceline`,
    text: `You have been invited to join ${where} on Sourceline as ${input.role}.\n\nAccept the invitation within ${INVITATION_DAYS} days:\n${input.publicUrl}/invitations/${token}\n\nIf you did not expect this, ignore this e-mail.`,
  });
  await recordAuditEvent(tx, {
    action: 'invitation.created',
    agencyId: agencyId ?? null,
    practiceId: practiceId ?? null,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'invitation', id: row.id },
    details: { role: input.role },
  });
  return { id: row.id };
}

export interface InvitationPreview {
  email: string;
  role: Role;
  scopeName: string;
  hasAccount: boolean;
}

async function findOpenInvitation(tx: Tx, token: string) {
  const invitation = await tx.invitation.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) {
    throw new UserFacingError('This invitation link is invalid or has expired. Ask your admin for a new one.', 'NOT_FOUND');
  }
  return invitation;
}

export async function previewInvitation(prisma: PrismaClient, token: string): Promise<InvitationPreview> {
  return withTenant(prisma, { tokenHash: hashSecret(token) }, async (tx) => {
    const invitation = await findOpenInvitation(tx, token);
    // The holder of the link may learn the invitation's address and the name of the place it opens, nothing more.
    await tx.$queryRaw`SELECT set_config('app.login_email', ${invitation.email}, true),
                              set_config('app.agency_ids', ${invitation.agencyId ?? ''}, true),
                              set_config('app.practice_ids', ${invitation.practiceId ?? ''}, true)`;
    const existing = await tx.user.findUnique({ where: { email: invitation.email }, select: { id: true } });
    const scopeName = invitation.agencyId
      ? (await tx.agency.findUniqueOrThrow({ where: { id: invitation.agencyId } })).name
      : (await tx.practice.findUniqueOrThrow({ where: { id: invitation.practiceId! } })).name;
    return { email: invitation.email, role: invitation.role as Role, scopeName, hasAccount: existing !== null };
  });
}

/**
 * Accepts an invitation: a new account is created with the given name and password, or — when the address already has
 * an account — the signed-in owner of that account gains the membership.
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  input: { token: string; displayName?: string | null; password?: string | null; signedInUserId?: string | null; origin: AuditOrigin },
): Promise<{ userId: string; createdAccount: boolean }> {
  if (input.password) checkPasswordPolicy(input.password);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return withTenant(prisma, { tokenHash: hashSecret(input.token) }, async (tx) => {
    const invitation = await findOpenInvitation(tx, input.token);
    await tx.$queryRaw`SELECT set_config('app.login_email', ${invitation.email}, true)`;
    const existing = await tx.user.findUnique({ where: { email: invitation.email } });
    let userId: string;
    if (existing) {
      if (existing.id !== input.signedInUserId) {
        throw new UserFacingError(`This invitation is for ${invitation.email}. Sign in with that address, then open the link again.`, 'FORBIDDEN');
      }
      userId = existing.id;
    } else {
      const displayName = input.displayName?.trim();
      if (!displayName) throw new UserFacingError('Enter your name.', 'BAD_USER_INPUT', { field: 'displayName' });
      if (!passwordHash) throw new UserFacingError('Choose a password.', 'BAD_USER_INPUT', { field: 'password' });
      userId = randomUUID();
      await tx.$queryRaw`SELECT set_config('app.user_id', ${userId}, true)`;
      await tx.user.create({ data: { id: userId, email: invitation.email, displayName, passwordHash } });
    }
    // The membership's tenant comes from the invitation row the secret unlocked, not from the request.
    await tx.$queryRaw`SELECT set_config('app.user_id', ${userId}, true),
                              set_config('app.agency_ids', ${invitation.agencyId ?? ''}, true),
                              set_config('app.practice_ids', ${invitation.practiceId ?? ''}, true)`;
    const scope = invitation.agencyId ? { agencyId: invitation.agencyId } : { practiceId: invitation.practiceId! };
    const current = await tx.membership.findFirst({ where: { userId, ...scope } });
    if (current) await tx.membership.update({ where: { id: current.id }, data: { role: invitation.role } });
    else await tx.membership.create({ data: { userId, role: invitation.role, ...scope } });
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
    await recordAuditEvent(tx, {
      action: 'invitation.accepted',
      agencyId: invitation.agencyId,
      practiceId: invitation.practiceId,
      actor: { userId },
      origin: input.origin,
      target: { type: 'invitation', id: invitation.id },
      details: { role: invitation.role, created_account: !existing },
    });
    return { userId, createdAccount: !existing };
  });
}

export async function revokeInvitation(tx: Tx, principal: Principal, input: { id: string; origin: AuditOrigin }): Promise<void> {
  const invitation = await tx.invitation.findUnique({ where: { id: input.id } });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt) throw new UserFacingError('No open invitation with that id.', 'NOT_FOUND');
  const role = invitation.agencyId ? principal.agencyRoles.get(invitation.agencyId) : principal.practiceRoles.get(invitation.practiceId!);
  if (!roleAtLeast(role, 'admin')) throw new UserFacingError('Only admins can revoke invitations here.', 'FORBIDDEN');
  await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: new Date() } });
  await recordAuditEvent(tx, {
    action: 'invitation.revoked',
    agencyId: invitation.agencyId,
    practiceId: invitation.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'invitation', id: invitation.id },
  });
}
