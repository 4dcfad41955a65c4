import { validateRecords, type RecordKind, type RecordOf } from '@sourceline/sdk';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { openSettings } from '../connections/connection-settings.ts';
import { connectorOrThrow } from '../connections/connections.ts';
import { withTenant, withTenantClient } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { landingIdentifierKeys } from '../leads/lead-identifier-keys.ts';
import { settleLandedLeads } from '../leads/settle-pending-leads.ts';
import { markRecordsDeleted, upsertRecords, type IdentifierKeys } from '../records/write-records.ts';
import { BODY_FIELD } from './deliveries.ts';

export const PROCESS_WEBHOOK_TASK = 'process_webhook';

const Payload = z.object({ deliveryId: z.uuid(), practiceId: z.uuid() });

/**
 * Turns one stored delivery into records. Idempotent: a delivery already processed is skipped, and records are upserted
 * by source id, so a redelivered or replayed payload changes nothing twice. Records that fail the canonical schema
 * are reported by record and field and the rest land.
 */
export async function processWebhookDelivery(platform: Platform, input: z.infer<typeof Payload>): Promise<'processed' | 'skipped' | 'quarantined'> {
  const scope = { practiceIds: [input.practiceId] };
  const loaded = await withTenant(platform.db.prisma, scope, async (tx) => {
    const delivery = await tx.webhookDelivery.findUnique({ where: { id: input.deliveryId } });
    if (!delivery || delivery.status !== 'received') return null;
    const connection = await tx.connection.findUniqueOrThrow({ where: { id: delivery.connectionId } });
    const cipher = await platform.keys.cipherFor(tx, input.practiceId);
    return { delivery, connection, cipher };
  });
  if (!loaded) return 'skipped';
  const { delivery, connection, cipher } = loaded;
  const connector = connectorOrThrow(connection.connectorId);
  const webhook = connector.webhooks.find((w) => w.name === delivery.webhook);
  const settings = openSettings(cipher, connector, connection.settingsSealed);
  const body = cipher.decrypt(BODY_FIELD, Buffer.from(delivery.bodySealed));
  // The receipt time, not now: a replayed delivery must parse to the same records (sources without a timestamp of
  // their own date the lead by it).
  const parsed = webhook?.parse(
    { body, name: `${connector.id}/${delivery.webhook}`, contentType: delivery.contentType ?? undefined, receivedAt: delivery.receivedAt.toISOString() },
    settings,
  );
  const outcome = await withTenantClient<'processed' | 'skipped' | 'quarantined'>(platform.db.app, scope, async (client) => {
    const locked = await client.query(`SELECT status FROM webhook_deliveries WHERE id = $1 FOR UPDATE`, [delivery.id]);
    if (locked.rows[0]?.status !== 'received') return 'skipped';
    if (!parsed) {
      await client.query(`UPDATE webhook_deliveries SET status = 'quarantined', failure = $2, attempts = attempts + 1 WHERE id = $1`, [
        delivery.id, `connector ${connector.id} no longer has webhook "${delivery.webhook}"`,
      ]);
      return 'quarantined';
    }
    const target = { practiceId: input.practiceId, connectionId: connection.id };
    const issues = [...parsed.issues];
    const counts: Partial<Record<RecordKind, { inserted: number; updated: number; skipped: number; deleted: number }>> = {};
    const byKind = new Map<RecordKind, unknown[]>();
    for (const { kind, record } of parsed.records) byKind.set(kind, [...(byKind.get(kind) ?? []), record]);
    for (const [kind, records] of byKind) {
      const { valid, issues: invalid } = validateRecords(kind, records);
      issues.push(...invalid);
      const identifierKeys = landingIdentifierKeys[kind] as IdentifierKeys<typeof kind> | undefined;
      const result = await upsertRecords(client, target, cipher, kind, valid as RecordOf<typeof kind>[], identifierKeys, {
        insertOnly: webhook?.provisional ?? false,
      });
      counts[kind] = { ...result, skipped: result.skipped + records.length - valid.length, deleted: 0 };
    }
    for (const removal of parsed.removed ?? []) {
      const deleted = await markRecordsDeleted(client, target, removal.kind, removal.ids);
      counts[removal.kind] = { inserted: 0, updated: 0, skipped: 0, ...counts[removal.kind], deleted };
    }
    await client.query(
      `UPDATE webhook_deliveries SET status = 'processed', processed_at = now(), attempts = attempts + 1, counts = $2, issues = $3, failure = NULL
        WHERE id = $1`,
      [delivery.id, JSON.stringify(counts), JSON.stringify(issues.slice(0, 100))],
    );
    return 'processed';
  });
  // After the commit: the leads' channels and episodes are derived in their own short transaction.
  if (outcome === 'processed') await settleLandedLeads(platform, input.practiceId);
  return outcome;
}

export function processWebhookTask(platform: Platform): Task {
  return async (payload) => {
    await processWebhookDelivery(platform, Payload.parse(payload));
  };
}
