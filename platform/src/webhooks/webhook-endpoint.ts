import type { Connector, WebhookDefinition } from '@sourceline/sdk';
import type pg from 'pg';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { openSettings } from '../connections/connection-settings.ts';
import { findConnector } from '../connections/registry.ts';
import { sqlLiteral } from '../db/sql-literal.ts';
import type { Platform } from '../platform.ts';

export interface WebhookEndpoint {
  connectionId: string;
  practiceId: string;
  connector: Connector;
  webhook: WebhookDefinition<Record<string, unknown>>;
  settings: Record<string, unknown>;
  cipher: PracticeCipher;
  /** The connection's `updated_at` in microseconds, as text: what its settings were read at. */
  version: string;
  /** The practice's data keys visible when the cipher was taken (see `PracticeKeyStore.cipherForClient`). */
  keyCount: number;
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
  `SELECT id, practice_id, connector_id, settings_sealed, updated_at, (extract(epoch FROM updated_at) * 1e6)::bigint::text AS version,
          set_config('app.practice_ids', practice_id::text, true)
     FROM connections WHERE webhook_secret_hash = decode(app_setting('app.token_hash'), 'hex')`,
  `SELECT count(*)::int AS n FROM data_keys WHERE practice_id = nullif(app_setting('app.practice_ids'), '')::uuid`,
];

/** The endpoint `FIND_WEBHOOK_ENDPOINT` found (its results in `opened`), with its connector, settings and cipher. */
export async function webhookEndpointOf(platform: Platform, client: pg.PoolClient, opened: pg.QueryResult[], webhookName: string): Promise<EndpointLookup> {
  const [found, keys] = opened as [
    pg.QueryResult<{ id: string; practice_id: string; connector_id: string; settings_sealed: Buffer; updated_at: Date; version: string }>,
    pg.QueryResult<{ n: number }>,
  ];
  const connection = found.rows[0];
  if (!connection) return { missing: 'No webhook endpoint at this address. Copy the URL again from Settings → Integrations.' };
  const connector = findConnector(connection.connector_id);
  const webhook = connector?.webhooks.find((w) => w.name === webhookName);
  if (!connector || !webhook) {
    const known = connector?.webhooks.map((w) => w.name).join(', ') || 'none';
    return { missing: `This connection has no webhook "${webhookName}" (it has: ${known}).` };
  }
  const keyCount = keys.rows[0]!.n;
  const cipher = await platform.keys.cipherForClient(client, connection.practice_id, keyCount);
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
      version: connection.version,
      keyCount,
    },
  };
}

/**
 * Endpoints that took a delivery lately, by path-secret hash and webhook: the next delivery to one is verified with
 * what was found and stored in a single round trip, its insert re-checking in the database what the lookup
 * established (`knownEndpointGuard`). Kept no longer than the key store keeps a cipher, a bounded number of them.
 */
const knownEndpoints = new Map<string, { endpoint: WebhookEndpoint; at: number }>();
const KNOWN_ENDPOINT_MS = 60_000;
const KNOWN_ENDPOINT_LIMIT = 1_000;
const knownKey = (tokenHash: Buffer, webhookName: string) => `${tokenHash.toString('hex')}/${webhookName}`;

export function rememberEndpoint(tokenHash: Buffer, webhookName: string, endpoint: WebhookEndpoint): void {
  if (knownEndpoints.size >= KNOWN_ENDPOINT_LIMIT) knownEndpoints.clear();
  knownEndpoints.set(knownKey(tokenHash, webhookName), { endpoint, at: Date.now() });
}

export function knownEndpoint(tokenHash: Buffer, webhookName: string): WebhookEndpoint | null {
  const key = knownKey(tokenHash, webhookName);
  const known = knownEndpoints.get(key);
  if (!known) return null;
  if (Date.now() - known.at < KNOWN_ENDPOINT_MS) return known.endpoint;
  knownEndpoints.delete(key);
  return null;
}

export function forgetEndpoint(tokenHash: Buffer, webhookName: string): void {
  knownEndpoints.delete(knownKey(tokenHash, webhookName));
}

/**
 * What a known endpoint's insert stores only if it still holds, in the transaction that stores it: the path secret
 * still names this connection of this practice, its settings are those the signature was checked with, and the
 * practice has as many data keys as when its cipher was taken (none added by a rotation since). Row-level security
 * applies to both reads, with the scope the lookup would have set.
 */
export function knownEndpointGuard(endpoint: WebhookEndpoint): string {
  return `EXISTS (SELECT 1 FROM connections WHERE id = ${sqlLiteral(endpoint.connectionId)} AND practice_id = ${sqlLiteral(endpoint.practiceId)}
            AND webhook_secret_hash = decode(app_setting('app.token_hash'), 'hex')
            AND (extract(epoch FROM updated_at) * 1e6)::bigint = ${sqlLiteral(endpoint.version)}::bigint)
      AND (SELECT count(*) FROM data_keys WHERE practice_id = ${sqlLiteral(endpoint.practiceId)}) = ${endpoint.keyCount}`;
}
