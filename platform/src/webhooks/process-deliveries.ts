import { validateRecords, type ParseIssue, type ParseResult, type PlaceholderRef, type RecordKind, type RecordOf } from '@sourceline/sdk';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { openSettings } from '../connections/connection-settings.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import { withTenantClient } from '../db/tenant-transaction.ts';
import { landingIdentifierKeys } from '../leads/lead-identifier-keys.ts';
import { settleLandedLeads } from '../leads/settle-pending-leads.ts';
import { queueMatchingAfterLanding } from '../matching/practice/matching-job.ts';
import type { Platform } from '../platform.ts';
import { markRecordsDeleted, upsertRecords, type IdentifierKeys } from '../records/write-records.ts';
import { queuePlaceholderCompletion } from './complete-placeholders.ts';
import { BODY_FIELD, isUnreadable, UNREADABLE_FAILURE } from './deliveries.ts';

export const PROCESS_WEBHOOKS_TASK = 'process_webhooks';

const Payload = z.object({ connectionId: z.uuid(), practiceId: z.uuid() });
type Target = z.infer<typeof Payload>;

const BATCH = 200;

/**
 * A connection's oldest waiting deliveries, claimed ($1 connection, $2 how many). The partial index of waiting
 * deliveries (migration 0028) reaches them directly; through the connection's index of all its deliveries, every call
 * stepped over everything the connection had ever received.
 */
export const WAITING_DELIVERIES_SQL = `
  SELECT id, webhook, body_sealed, content_type, received_at FROM webhook_deliveries
   WHERE connection_id = $1 AND status = 'received' ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED`;

interface StoredDelivery {
  id: string;
  webhook: string;
  body_sealed: Buffer;
  content_type: string | null;
  received_at: Date;
}

/**
 * Works through every delivery of one connection still waiting, oldest first, a batch per transaction: the batch's
 * records are written together (one upsert per kind), so a burst of webhooks costs a few statements, not a few per
 * delivery. Idempotent: deliveries are claimed with SKIP LOCKED and marked processed in the same transaction, and
 * records are upserted by source id, so a replayed payload changes nothing twice. Records failing the canonical schema
 * are reported by record and field and the rest land. Returns how many deliveries were processed.
 */
export async function processPendingDeliveries(platform: Platform, target: Target): Promise<number> {
  let processed = 0;
  for (;;) {
    const { count, placeholders } = await withTenantClient(platform.db.app, { practiceIds: [target.practiceId] }, (client) => processBatch(platform, client, target));
    processed += count;
    for (const [webhook, refs] of placeholders) await queuePlaceholderCompletion(platform, { ...target, webhook, placeholders: refs });
    if (count > 0) {
      await settleLandedLeads(platform, target.practiceId);
      await queueMatchingAfterLanding(platform, target.practiceId);
    }
    if (count < BATCH) return processed;
  }
}

/** What one batch did: how many deliveries it processed, and the placeholders each completing webhook stored. */
interface BatchOutcome {
  count: number;
  placeholders: Map<string, PlaceholderRef[]>;
}

async function processBatch(platform: Platform, client: Parameters<Parameters<typeof withTenantClient>[2]>[0], target: Target): Promise<BatchOutcome> {
  const { rows: deliveries } = await client.query<StoredDelivery>(WAITING_DELIVERIES_SQL, [target.connectionId, BATCH]);
  if (deliveries.length === 0) return { count: 0, placeholders: new Map() };
  const { rows: connections } = await client.query<{ connector_id: string; settings_sealed: Buffer }>(
    'SELECT connector_id, settings_sealed FROM connections WHERE id = $1',
    [target.connectionId],
  );
  const connector = connectorOrThrow(connections[0]!.connector_id);
  const cipher = await platform.keys.cipherForClient(client, target.practiceId);
  const settings = openSettings(cipher, connector, connections[0]!.settings_sealed);

  // Full records first, placeholders (provisional webhooks) after, so a placeholder can never replace what a full
  // record of the same batch wrote; within each group the later delivery of an id wins.
  const full = new Map<RecordKind, unknown[]>();
  const placeholders = new Map<RecordKind, unknown[]>();
  const removals: { kind: RecordKind; ids: string[] }[] = [];
  const toComplete = new Map<string, PlaceholderRef[]>();
  const outcomes: { id: string; status: 'processed' | 'quarantined'; counts: Record<string, number>; issues: ParseIssue[]; failure: string | null }[] = [];
  for (const delivery of deliveries) {
    const webhook = connector.webhooks.find((w) => w.name === delivery.webhook);
    if (!webhook) {
      outcomes.push({ id: delivery.id, status: 'quarantined', counts: {}, issues: [], failure: `connector ${connector.id} no longer has webhook "${delivery.webhook}"` });
      continue;
    }
    // Opened outside the parser's try: a body this process cannot decrypt is its own fault (a key it has not loaded),
    // not the payload's, so the batch fails and is retried rather than the delivery quarantined.
    const body = cipher.decrypt(BODY_FIELD, delivery.body_sealed);
    let parsed: ParseResult;
    try {
      // The receipt time, not now: a replayed delivery must parse to the same records (sources without a timestamp
      // of their own date the lead by it).
      parsed = webhook.parse(
        {
          body,
          name: `${connector.id}/${delivery.webhook}`,
          contentType: delivery.content_type ?? undefined,
          receivedAt: delivery.received_at.toISOString(),
        },
        settings,
      );
    } catch (error) {
      outcomes.push({ id: delivery.id, status: 'quarantined', counts: {}, issues: [], failure: `the parser failed: ${error instanceof Error ? error.name : 'error'}` });
      continue;
    }
    // Judged as at receipt: a replay the connector still cannot read stays quarantined for the next one.
    if (isUnreadable(parsed)) {
      outcomes.push({ id: delivery.id, status: 'quarantined', counts: {}, issues: parsed.issues.slice(0, 100), failure: UNREADABLE_FAILURE });
      continue;
    }
    const issues = [...parsed.issues];
    const counts: Record<string, number> = {};
    const byKind = new Map<RecordKind, unknown[]>();
    for (const { kind, record } of parsed.records) byKind.set(kind, [...(byKind.get(kind) ?? []), record]);
    for (const [kind, records] of byKind) {
      const { valid, issues: invalid } = validateRecords(kind, records);
      issues.push(...invalid);
      counts[kind] = valid.length;
      const group = webhook.provisional ? placeholders : full;
      group.set(kind, [...(group.get(kind) ?? []), ...valid]);
      if (webhook.complete) {
        const refs = toComplete.get(webhook.name) ?? [];
        toComplete.set(webhook.name, [...refs, ...valid.map((record) => ({ kind, id: (record as { id: string }).id }))]);
      }
    }
    removals.push(...(parsed.removed ?? []));
    outcomes.push({ id: delivery.id, status: 'processed', counts, issues: issues.slice(0, 100), failure: null });
  }

  const writeTarget = { practiceId: target.practiceId, connectionId: target.connectionId };
  for (const [group, insertOnly] of [[full, false], [placeholders, true]] as const) {
    for (const [kind, records] of group) {
      const identifierKeys = landingIdentifierKeys[kind] as IdentifierKeys<typeof kind> | undefined;
      await upsertRecords(client, writeTarget, cipher, kind, records as RecordOf<typeof kind>[], identifierKeys, { insertOnly });
    }
  }
  for (const removal of removals) await markRecordsDeleted(client, writeTarget, removal.kind, removal.ids);
  await client.query(
    `UPDATE webhook_deliveries d SET status = u.status, processed_at = now(), attempts = d.attempts + 1, counts = u.counts::jsonb,
            issues = u.issues::jsonb, failure = u.failure
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, status, counts, issues, failure)
      WHERE d.id = u.id`,
    [
      outcomes.map((o) => o.id), outcomes.map((o) => o.status), outcomes.map((o) => JSON.stringify(o.counts)),
      outcomes.map((o) => JSON.stringify(o.issues)), outcomes.map((o) => o.failure),
    ],
  );
  return { count: deliveries.length, placeholders: toComplete };
}

export function processPendingDeliveriesTask(platform: Platform): Task {
  return async (payload) => {
    await processPendingDeliveries(platform, Payload.parse(payload));
  };
}
