import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { withTenantClient } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { processWebhookDelivery } from './process-webhook.ts';

export const PROCESS_WEBHOOKS_TASK = 'process_webhooks';

const Payload = z.object({ connectionId: z.uuid(), practiceId: z.uuid() });

/**
 * Works through every delivery of one connection still waiting, oldest first, until none is left (deliveries that
 * arrive meanwhile are picked up by this loop or by the job their insert queued).
 */
export async function processPendingDeliveries(platform: Platform, input: z.infer<typeof Payload>): Promise<number> {
  let processed = 0;
  for (;;) {
    const ids = await withTenantClient(platform.db.app, { practiceIds: [input.practiceId] }, async (client) =>
      (
        await client.query<{ id: string }>(
          `SELECT id FROM webhook_deliveries WHERE connection_id = $1 AND status = 'received' ORDER BY received_at LIMIT 500`,
          [input.connectionId],
        )
      ).rows.map((r) => r.id),
    );
    for (const deliveryId of ids) {
      if ((await processWebhookDelivery(platform, { deliveryId, practiceId: input.practiceId })) === 'processed') processed += 1;
    }
    if (ids.length < 500) return processed;
  }
}

export function processPendingDeliveriesTask(platform: Platform): Task {
  return async (payload) => {
    await processPendingDeliveries(platform, Payload.parse(payload));
  };
}
