import type { Connector, WebhookDefinition } from '@sourceline/sdk';
import { hashSecret } from '../auth/secrets.ts';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { openSettings } from '../connections/connection-settings.ts';
import { findConnector } from '../connections/registry.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';

export interface WebhookEndpoint {
  connectionId: string;
  practiceId: string;
  connector: Connector;
  webhook: WebhookDefinition<Record<string, unknown>>;
  settings: Record<string, unknown>;
  cipher: PracticeCipher;
}

export type EndpointLookup = { found: WebhookEndpoint } | { missing: string };

/**
 * Resolves `/hooks/<secret>/<webhook>` to a connection. The path secret's hash is the only key the lookup holds, so an
 * unknown secret finds nothing and reveals nothing.
 */
export async function findWebhookEndpoint(platform: Platform, secret: string, webhookName: string): Promise<EndpointLookup> {
  const tokenHash = hashSecret(secret);
  const connection = await withTenant(platform.db.prisma, { tokenHash }, (tx) => tx.connection.findUnique({ where: { webhookSecretHash: tokenHash } }));
  if (!connection) return { missing: 'No webhook endpoint at this address. Copy the URL again from Settings → Integrations.' };
  const connector = findConnector(connection.connectorId);
  const webhook = connector?.webhooks.find((w) => w.name === webhookName);
  if (!connector || !webhook) {
    const known = connector?.webhooks.map((w) => w.name).join(', ') || 'none';
    return { missing: `This connection has no webhook "${webhookName}" (it has: ${known}).` };
  }
  return withTenant(platform.db.prisma, { practiceIds: [connection.practiceId] }, async (tx) => {
    const cipher = await platform.keys.cipherFor(tx, connection.practiceId);
    return {
      found: {
        connectionId: connection.id,
        practiceId: connection.practiceId,
        connector,
        webhook: webhook as WebhookDefinition<Record<string, unknown>>,
        settings: openSettings(cipher, connector, connection.settingsSealed),
        cipher,
      },
    };
  });
}
