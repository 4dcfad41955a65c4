import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { API_TOKEN_PREFIX } from './authenticate.ts';
import type { Principal } from './principal.ts';
import { roleAtLeast, type Role } from './roles.ts';
import { hashSecret, newSecret } from './secrets.ts';

export interface NewApiToken {
  id: string;
  /** Shown once at creation; only its hash is stored. */
  token: string;
}

/**
 * Creates a personal API token for the calling user, limited to practices they can reach and a role no higher than
 * theirs in each of them.
 */
export async function createApiToken(
  tx: Tx,
  principal: Principal,
  input: { name: string; role: Role; practiceIds: string[]; expiresAt?: Date | null; origin: AuditOrigin },
): Promise<NewApiToken> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new UserFacingError('Give the token a name of 1–100 characters.', 'BAD_USER_INPUT', { field: 'name' });
  if (input.practiceIds.length === 0) throw new UserFacingError('Choose at least one practice for the token.', 'BAD_USER_INPUT', { field: 'practiceIds' });
  for (const practiceId of input.practiceIds) {
    if (!roleAtLeast(principal.practiceRoles.get(practiceId), input.role)) {
      throw new UserFacingError('A token cannot reach a practice, or hold a role, beyond your own.', 'FORBIDDEN', { field: 'practiceIds' });
    }
  }
  if (input.expiresAt && input.expiresAt <= new Date()) {
    throw new UserFacingError('The expiry date must be in the future.', 'BAD_USER_INPUT', { field: 'expiresAt' });
  }
  const secret = newSecret();
  const token = `${API_TOKEN_PREFIX}${secret}`;
  const row = await tx.apiToken.create({
    data: {
      userId: principal.userId,
      name,
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: hashSecret(token),
      role: input.role,
      practiceIds: [...new Set(input.practiceIds)],
      expiresAt: input.expiresAt ?? null,
    },
  });
  await recordAuditEvent(tx, {
    action: 'api_token.created',
    actor: { userId: principal.userId },
    origin: input.origin,
    target: { type: 'api_token', id: row.id },
    details: { role: input.role, practices: input.practiceIds.length },
  });
  return { id: row.id, token };
}

export async function revokeApiToken(tx: Tx, principal: Principal, input: { id: string; origin: AuditOrigin }): Promise<void> {
  const updated = await tx.apiToken.updateMany({
    where: { id: input.id, userId: principal.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (updated.count === 0) throw new UserFacingError('No active token with that id.', 'NOT_FOUND');
  await recordAuditEvent(tx, { action: 'api_token.revoked', actor: { userId: principal.userId }, origin: input.origin, target: { type: 'api_token', id: input.id } });
}
