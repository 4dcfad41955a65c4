import { redactSettings } from '@sourceline/sdk';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { UserFacingError } from '../errors.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { parseSettings, sealSettings } from './connection-settings.ts';
import { findConnector } from './registry.ts';

export function connectorOrThrow(connectorId: string) {
  const connector = findConnector(connectorId);
  if (!connector) throw new UserFacingError(`There is no connector "${connectorId}".`, 'BAD_USER_INPUT', { field: 'connectorId' });
  return connector;
}

/** Where a source sends one webhook of a connection: shown once, when the path secret is made. */
export function webhookUrl(publicUrl: string, secret: string, webhook: string): string {
  return `${publicUrl}/hooks/${secret}/${webhook}`;
}

/**
 * A practice admin connects a source system; its settings are validated, then stored sealed. A connector that
 * receives webhooks gets an unguessable path secret, returned here once and stored only as its hash.
 */
export async function createConnection(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { practiceId: string; connectorId: string; displayName?: string | null; settings: unknown; locationId?: string | null; origin: AuditOrigin },
) {
  requirePracticeRole(principal, input.practiceId, 'admin');
  const connector = connectorOrThrow(input.connectorId);
  if (connector.status === 'coming-soon') {
    throw new UserFacingError(`${connector.displayName} is coming soon and cannot be connected yet.`, 'BAD_USER_INPUT', { field: 'connectorId' });
  }
  const settings = parseSettings(connector, input.settings);
  if (input.locationId) {
    const location = await tx.location.findUnique({ where: { id: input.locationId } });
    if (!location || location.practiceId !== input.practiceId) throw new UserFacingError('That location is not part of this practice.', 'BAD_USER_INPUT', { field: 'locationId' });
  }
  const cipher = await keys.cipherFor(tx, input.practiceId);
  const webhookSecret = connector.webhooks.length > 0 ? newSecret(24) : null;
  const connection = await tx.connection.create({
    data: {
      practiceId: input.practiceId,
      locationId: input.locationId ?? null,
      connectorId: connector.id,
      displayName: input.displayName?.trim() || connector.displayName,
      settingsSealed: new Uint8Array(sealSettings(cipher, settings)),
      webhookSecretHash: webhookSecret ? hashSecret(webhookSecret) : null,
      createdBy: principal.userId,
    },
  });
  await recordAuditEvent(tx, {
    action: 'connection.created',
    practiceId: input.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'connection', id: connection.id },
    fields: Object.keys(redactSettings(connector.settings, settings)),
    details: { connector: connector.id },
  });
  return { connection, webhookSecret };
}

/** Issues a new webhook path secret (the old address stops working at once) and returns it, once. */
export async function rotateWebhookSecret(tx: Tx, principal: Principal, input: { connectionId: string; origin: AuditOrigin }) {
  const connection = await tx.connection.findUnique({ where: { id: input.connectionId } });
  if (!connection) throw new UserFacingError('No connection with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, connection.practiceId, 'admin');
  if (connectorOrThrow(connection.connectorId).webhooks.length === 0) {
    throw new UserFacingError('This connection receives no webhooks.', 'BAD_USER_INPUT');
  }
  const webhookSecret = newSecret(24);
  const updated = await tx.connection.update({ where: { id: connection.id }, data: { webhookSecretHash: hashSecret(webhookSecret), updatedAt: new Date() } });
  await recordAuditEvent(tx, {
    action: 'connection.webhook_secret_rotated',
    practiceId: connection.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'connection', id: connection.id },
  });
  return { connection: updated, webhookSecret };
}

/** The practice's connection with this id, or null: one of another practice (or tenant) is not found here. */
export function findPracticeConnection(tx: Tx, practiceId: string, connectionId: string) {
  return tx.connection.findFirst({ where: { id: connectionId, practiceId } });
}
