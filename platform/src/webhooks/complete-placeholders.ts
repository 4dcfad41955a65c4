import { createHttpClient, recordKinds, validateRecords, type EmittedRecord, type PlaceholderRef, type RecordKind, type RecordOf } from '@sourceline/sdk';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { openSettings } from '../connections/connection-settings.ts';
import { refusedCredentials, setConnectionStatus } from '../connections/connection-status.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import { connectorLogger } from '../connections/connector-logger.ts';
import { withTenantClient } from '../db/tenant-transaction.ts';
import { landingIdentifierKeys } from '../leads/lead-identifier-keys.ts';
import { settleLandedLeads } from '../leads/settle-pending-leads.ts';
import { queueMatchingAfterLanding } from '../matching/practice/matching-job.ts';
import type { Platform } from '../platform.ts';
import { upsertRecords, type IdentifierKeys } from '../records/write-records.ts';

export const COMPLETE_PLACEHOLDERS_TASK = 'complete_placeholders';

const Payload = z.object({
  connectionId: z.uuid(),
  practiceId: z.uuid(),
  webhook: z.string().min(1),
  placeholders: z.array(z.object({ kind: z.enum(recordKinds as [RecordKind, ...RecordKind[]]), id: z.string().min(1) })).min(1),
});
type Payload = z.infer<typeof Payload>;

/** A source answers within seconds or the job is retried: a stuck call must not hold the connection's queue. */
const FETCH_TIMEOUT_MS = 30_000;

/**
 * Queues the fetch of the full records behind placeholders a provisional webhook just stored (see the SDK's
 * `complete`). One queue per connection, so a burst of notices is fetched one job after another, within the source's
 * rate limits. Queued after the placeholders commit: were the process to die in between, the connector's reconcile
 * stream still brings the full records.
 */
export async function queuePlaceholderCompletion(platform: Platform, payload: Payload): Promise<void> {
  await platform.jobs.addJob(COMPLETE_PLACEHOLDERS_TASK, payload, { queueName: `complete:${payload.connectionId}`, maxAttempts: 10 });
}

/**
 * Fetches the full records (outside any transaction: the source may be slow) and upserts them over the placeholders
 * in one tenant transaction. A source error that may pass (timeout, 429, 5xx) fails the job, which graphile-worker
 * retries with back-off; refused credentials flag the connection instead; what the connector could not fetch for
 * good stays a placeholder.
 */
export async function completePlaceholders(platform: Platform, payload: Payload): Promise<{ completed: number }> {
  const scope = { practiceIds: [payload.practiceId] };
  const opened = await withTenantClient(platform.db.app, scope, async (client) => {
    const { rows } = await client.query<{ connector_id: string; settings_sealed: Buffer }>(
      'SELECT connector_id, settings_sealed FROM connections WHERE id = $1',
      [payload.connectionId],
    );
    if (!rows[0]) return null;
    const connector = connectorOrThrow(rows[0].connector_id);
    const cipher = await platform.keys.cipherForClient(client, payload.practiceId);
    return { connector, cipher, settings: openSettings(cipher, connector, rows[0].settings_sealed) };
  });
  // The connection was removed since: its placeholders went with it.
  if (!opened) return { completed: 0 };
  const webhook = opened.connector.webhooks.find((w) => w.name === payload.webhook);
  if (!webhook?.complete) return { completed: 0 };

  const log = connectorLogger(platform.logger.child({ connectionId: payload.connectionId, webhook: payload.webhook }));
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS * 4);
  const http = createHttpClient({ signal, log, timeoutMs: FETCH_TIMEOUT_MS });
  let fetched: EmittedRecord[];
  try {
    fetched = await webhook.complete({ settings: opened.settings, http, log, signal }, payload.placeholders as PlaceholderRef[]);
  } catch (error) {
    if (!refusedCredentials(error)) throw error;
    // Retrying cannot help: the connection is flagged, and its reconcile stream fetches these after a reconnect.
    await setConnectionStatus(platform, payload, 'auth_failed', (error as Error).message);
    log.warn('the source refused the credentials; placeholders left for the reconcile stream', { asked: payload.placeholders.length });
    return { completed: 0 };
  }

  const byKind = new Map<RecordKind, unknown[]>();
  for (const { kind, record } of fetched) byKind.set(kind, [...(byKind.get(kind) ?? []), record]);
  const target = { practiceId: payload.practiceId, connectionId: payload.connectionId };
  let completed = 0;
  await withTenantClient(platform.db.app, scope, async (client) => {
    for (const [kind, records] of byKind) {
      const { valid, issues } = validateRecords(kind, records);
      for (const issue of issues) log.warn('skipped a fetched record that is not canonical', { record: issue.record, field: issue.field });
      const identifierKeys = landingIdentifierKeys[kind] as IdentifierKeys<typeof kind> | undefined;
      const counts = await upsertRecords(client, target, opened.cipher, kind, valid as RecordOf<typeof kind>[], identifierKeys);
      completed += counts.inserted + counts.updated;
    }
  });
  if (completed > 0) {
    await settleLandedLeads(platform, payload.practiceId);
    await queueMatchingAfterLanding(platform, payload.practiceId);
  }
  log.info('placeholders completed', { asked: payload.placeholders.length, completed });
  return { completed };
}

export function completePlaceholdersTask(platform: Platform): Task {
  return async (payload) => {
    await completePlaceholders(platform, Payload.parse(payload));
  };
}
