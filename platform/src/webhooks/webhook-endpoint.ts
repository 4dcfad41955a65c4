import type { Connector, WebhookDefinition } from '@sourceline/sdk';
import type pg from 'pg';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { openSettings } from '../connections/connection-settings.ts';
import { findConnector } from '../connections/registry.ts';
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

// Decrypted settings by connection and version: the hot path of every delivery should not re-open and re-validate
// the same settings. Keyed by updated_at, so a changed connection is read afresh at once.
const settingsCache = new Map<string, Record<string, unknown>>();
const SETTINGS_CACHE_LIMIT = 1_000;

/**
 * What finds `/hooks/<secret>/<webhook>`'s connection, as statements to open the caller's transaction with
 * (`withTenantClient`'s `opening`), whose context holds only the path secret's hash: an unknown secret finds nothing
 * and reveals nothing. The row found narrows the scope to its practice in the same statement (set_config runs for the
 * returned row only), and the next counts that practice's data keys for its cipher: the lookup every delivery makes
 * before its acknowledgement costs no round trip of its own.
 */
export const FIND_WEBHOOK_ENDPOINT: readonly string[] = [
  `SELECT id, practice_id, connector_id, settings_sealed, updated_at, set_config('app.practice_ids', practice_id::text, true)
     FROM connections WHERE webhook_secret_hash = decode(app_setting('app.token_hash'), 'hex')`,
  `SELECT count(*)::int AS n FROM data_keys WHERE practice_id = nullif(app_setting('app.practice_ids'), '')::uuid`,
];

/** The endpoint `FIND_WEBHOOK_ENDPOINT` found (its results in `opened`), with its connector, settings and cipher. */
export async function webhookEndpointOf(platform: Platform, client: pg.PoolClient, opened: pg.QueryResult[], webhookName: string): Promise<EndpointLookup> {
  const [found, keys] = opened as [pg.QueryResult<{ id: string; practice_id: string; connector_id: string; settings_sealed: Buffer; updated_at: Date }>, pg.QueryResult<{ n: number }>];
  const connection = found.rows[0];
  if (!connection) return { missing: 'No webhook endpoint at this address. Copy the URL again from Settings → Integrations.' };
  const connector = findConnector(connection.connector_id);
  const webhook = connector?.webhooks.find((w) => w.name === webhookName);
  if (!connector || !webhook) {
    const known = connector?.webhooks.map((w) => w.name).join(', ') || 'none';
    return { missing: `This connection has no webhook "${webhookName}" (it has: ${known}).` };
  }
  const cipher = await platform.keys.cipherForClient(client, connection.practice_id, keys.rows[0]!.n);
  const cacheKey = `${connection.id}:${connection.updated_at.getTime()}`;
  let settings = settingsCache.get(cacheKey);
  if (!settings) {
    settings = openSettings(cipher, connector, connection.settings_sealed);
    if (settingsCache.size >= SETTINGS_CACHE_LIMIT) settingsCache.clear();
    settingsCache.set(cacheKey, settings);
  }
  return {
    found: {
      connectionId: connection.id,
      practiceId: connection.practice_id,
      connector,
      webhook: webhook as WebhookDefinition<Record<string, unknown>>,
      settings,
      cipher,
    },
  };
}
