import { randomUUID } from 'node:crypto';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import { roleAtLeast } from '../auth/roles.ts';
import type { KeyRing } from '../crypto/master-key.ts';
import { createPracticeKeys } from '../crypto/practice-keys.ts';
import type { PoolClient } from 'pg';
import { addToScope, type Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { checkAreaCode, checkTimeZone, cleanName } from './validation.ts';

const actorOf = (principal: Principal) => ({ userId: principal.userId, tokenId: principal.tokenId });

function requireAgencyAdmin(principal: Principal, agencyId: string): void {
  if (!roleAtLeast(principal.agencyRoles.get(agencyId), 'admin')) {
    throw new UserFacingError('Only agency admins can do this.', 'FORBIDDEN');
  }
}

export function requirePracticeRole(principal: Principal, practiceId: string, role: 'admin' | 'analyst' | 'viewer'): void {
  if (!roleAtLeast(principal.practiceRoles.get(practiceId), role)) {
    throw new UserFacingError(role === 'admin' ? 'Only practice admins can do this.' : 'You do not have access to this practice.', 'FORBIDDEN');
  }
}

/** A platform operator creates an agency and becomes its first admin. */
export async function createAgency(tx: Tx, principal: Principal, input: { name: string; origin: AuditOrigin }) {
  if (!principal.platformAdmin) throw new UserFacingError('Only platform administrators can create agencies.', 'FORBIDDEN');
  // The new agency joins the transaction's scope before it exists, so the insert can return the row it wrote.
  const id = randomUUID();
  await addToScope(tx, 'agency', id);
  const agency = await tx.agency.create({ data: { id, name: cleanName(input.name, 'agency name') } });
  await tx.membership.create({ data: { userId: principal.userId, agencyId: agency.id, role: 'admin' } });
  await recordAuditEvent(tx, { action: 'agency.created', agencyId: agency.id, actor: actorOf(principal), origin: input.origin, target: { type: 'agency', id: agency.id } });
  return agency;
}

export async function updateAgency(
  tx: Tx,
  principal: Principal,
  input: { agencyId: string; name?: string | null; mfaRequired?: boolean | null; origin: AuditOrigin },
) {
  requireAgencyAdmin(principal, input.agencyId);
  const data: { name?: string; mfaRequired?: boolean; updatedAt: Date } = { updatedAt: new Date() };
  if (input.name != null) data.name = cleanName(input.name, 'agency name');
  if (input.mfaRequired != null) data.mfaRequired = input.mfaRequired;
  const agency = await tx.agency.update({ where: { id: input.agencyId }, data });
  await recordAuditEvent(tx, {
    action: 'agency.updated',
    agencyId: agency.id,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'agency', id: agency.id },
    fields: Object.keys(data).filter((k) => k !== 'updatedAt'),
  });
  return agency;
}

/** An agency admin adds a practice; its encryption keys are created with it. */
export async function createPractice(
  tx: Tx,
  ring: KeyRing,
  principal: Principal,
  input: { agencyId: string; name: string; timeZone?: string | null; areaCode?: string | null; origin: AuditOrigin },
) {
  requireAgencyAdmin(principal, input.agencyId);
  const practice = await tx.practice.create({
    data: {
      agencyId: input.agencyId,
      name: cleanName(input.name, 'practice name'),
      timeZone: checkTimeZone(input.timeZone ?? 'America/New_York'),
      areaCode: checkAreaCode(input.areaCode),
    },
  });
  await addToScope(tx, 'practice', practice.id);
  await createPracticeKeys(tx, ring, practice.id);
  await recordAuditEvent(tx, { action: 'practice.created', practiceId: practice.id, actor: actorOf(principal), origin: input.origin, target: { type: 'practice', id: practice.id } });
  return practice;
}

export async function updatePractice(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; name?: string | null; timeZone?: string | null; areaCode?: string | null; origin: AuditOrigin },
) {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const data: { name?: string; timeZone?: string; areaCode?: string | null; updatedAt: Date } = { updatedAt: new Date() };
  if (input.name != null) data.name = cleanName(input.name, 'practice name');
  if (input.timeZone != null) data.timeZone = checkTimeZone(input.timeZone);
  if (input.areaCode !== undefined) data.areaCode = checkAreaCode(input.areaCode);
  const practice = await tx.practice.update({ where: { id: input.practiceId }, data });
  await recordAuditEvent(tx, {
    action: 'practice.updated',
    practiceId: practice.id,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'practice', id: practice.id },
    fields: Object.keys(data).filter((k) => k !== 'updatedAt'),
  });
  return practice;
}

export async function createLocation(
  tx: Tx,
  principal: Principal,
  input: { practiceId: string; name: string; timeZone?: string | null; origin: AuditOrigin },
) {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const practice = await tx.practice.findUniqueOrThrow({ where: { id: input.practiceId } });
  const location = await tx.location.create({
    data: {
      practiceId: input.practiceId,
      name: cleanName(input.name, 'location name'),
      timeZone: checkTimeZone(input.timeZone ?? practice.timeZone),
    },
  });
  await recordAuditEvent(tx, { action: 'location.created', practiceId: input.practiceId, actor: actorOf(principal), origin: input.origin, target: { type: 'location', id: location.id } });
  return location;
}

export async function updateLocation(
  tx: Tx,
  principal: Principal,
  input: { locationId: string; name?: string | null; timeZone?: string | null; origin: AuditOrigin },
) {
  const existing = await tx.location.findUnique({ where: { id: input.locationId } });
  if (!existing) throw new UserFacingError('No location with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, existing.practiceId, 'admin');
  const data: { name?: string; timeZone?: string; updatedAt: Date } = { updatedAt: new Date() };
  if (input.name != null) data.name = cleanName(input.name, 'location name');
  if (input.timeZone != null) data.timeZone = checkTimeZone(input.timeZone);
  const location = await tx.location.update({ where: { id: existing.id }, data });
  await recordAuditEvent(tx, {
    action: 'location.updated',
    practiceId: existing.practiceId,
    actor: actorOf(principal),
    origin: input.origin,
    target: { type: 'location', id: location.id },
    fields: Object.keys(data).filter((k) => k !== 'updatedAt'),
  });
  return location;
}

/** The area code an admin set for the practice (null: none), for jobs running on a tenant-scoped client. */
export async function practiceAreaCode(client: PoolClient, practiceId: string): Promise<string | null> {
  const { rows } = await client.query<{ area_code: string | null }>('SELECT area_code FROM practices WHERE id = $1', [practiceId]);
  return rows[0]?.area_code ?? null;
}
