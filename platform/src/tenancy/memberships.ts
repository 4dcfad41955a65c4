import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import { roleAtLeast, type Role } from '../auth/roles.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';

type MembershipRow = NonNullable<Awaited<ReturnType<Tx['membership']['findUnique']>>>;

async function findManageable(tx: Tx, principal: Principal, membershipId: string): Promise<MembershipRow> {
  const membership = await tx.membership.findUnique({ where: { id: membershipId } });
  if (!membership) throw new UserFacingError('No membership with that id.', 'NOT_FOUND');
  const role = membership.agencyId ? principal.agencyRoles.get(membership.agencyId) : principal.practiceRoles.get(membership.practiceId!);
  if (!roleAtLeast(role, 'admin')) throw new UserFacingError('Only admins can change who has access here.', 'FORBIDDEN');
  return membership;
}

/** An agency or practice must always keep at least one admin, or nobody could manage it again. */
async function assertAnotherAdminRemains(tx: Tx, membership: MembershipRow): Promise<void> {
  if (membership.role !== 'admin') return;
  const admins = await tx.membership.count({
    where: { role: 'admin', agencyId: membership.agencyId, practiceId: membership.practiceId, id: { not: membership.id } },
  });
  if (admins === 0) throw new UserFacingError('This is the last admin here; make someone else admin first.', 'CONFLICT');
}

export async function changeMembershipRole(
  tx: Tx,
  principal: Principal,
  input: { membershipId: string; role: Role; origin: AuditOrigin },
) {
  const membership = await findManageable(tx, principal, input.membershipId);
  if (input.role !== 'admin') await assertAnotherAdminRemains(tx, membership);
  const updated = await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
  await recordAuditEvent(tx, {
    action: 'membership.role_changed',
    agencyId: membership.agencyId,
    practiceId: membership.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'membership', id: membership.id },
    details: { from: membership.role, to: input.role },
  });
  return updated;
}

export async function removeMembership(tx: Tx, principal: Principal, input: { membershipId: string; origin: AuditOrigin }) {
  const membership = await findManageable(tx, principal, input.membershipId);
  await assertAnotherAdminRemains(tx, membership);
  await tx.membership.delete({ where: { id: membership.id } });
  await recordAuditEvent(tx, {
    action: 'membership.removed',
    agencyId: membership.agencyId,
    practiceId: membership.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'membership', id: membership.id },
  });
}
