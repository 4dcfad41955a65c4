import { redactSettings } from '@sourceline/sdk';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { openSettings, parseSettings, sealSettings } from './connection-settings.ts';
import { connectorOrThrow } from './connections.ts';

/**
 * Changes a connection. New settings are merged over the stored ones, so an admin can change the base URL without
 * retyping secrets they cannot see; a secret is replaced only when a new value is given.
 */
export async function updateConnection(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: {
    connectionId: string;
    displayName?: string | null;
    settings?: Record<string, unknown> | null;
    syncIntervalMinutes?: number | null;
    paused?: boolean | null;
    origin: AuditOrigin;
  },
) {
  const connection = await tx.connection.findUnique({ where: { id: input.connectionId } });
  if (!connection) throw new UserFacingError('No connection with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, connection.practiceId, 'admin');
  const connector = connectorOrThrow(connection.connectorId);
  const data: Parameters<Tx['connection']['update']>[0]['data'] = { updatedAt: new Date() };
  const fields: string[] = [];
  if (input.displayName != null) {
    data.displayName = input.displayName.trim() || connector.displayName;
    fields.push('displayName');
  }
  if (input.settings) {
    const cipher = await keys.cipherFor(tx, connection.practiceId);
    const merged = { ...openSettings(cipher, connector, connection.settingsSealed), ...input.settings };
    data.settingsSealed = new Uint8Array(sealSettings(cipher, parseSettings(connector, merged)));
    // New credentials deserve a fresh try even if the old ones had been rejected.
    data.status = 'new';
    data.statusMessage = null;
    fields.push(...Object.keys(redactSettings(connector.settings, input.settings)).map((k) => `settings.${k}`));
  }
  if (input.syncIntervalMinutes != null) {
    if (input.syncIntervalMinutes < 5 || input.syncIntervalMinutes > 1440) {
      throw new UserFacingError('Sync every 5 to 1440 minutes.', 'BAD_USER_INPUT', { field: 'syncIntervalMinutes' });
    }
    data.syncIntervalMinutes = input.syncIntervalMinutes;
    fields.push('syncIntervalMinutes');
  }
  if (input.paused != null) {
    data.pausedAt = input.paused ? new Date() : null;
    fields.push('paused');
  }
  const updated = await tx.connection.update({ where: { id: connection.id }, data });
  await recordAuditEvent(tx, {
    action: 'connection.updated',
    practiceId: connection.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'connection', id: connection.id },
    fields,
  });
  return updated;
}
