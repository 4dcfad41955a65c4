import type { ParseIssue } from '@sourceline/sdk';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { AuditOrigin } from '../audit/record-audit-event.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { BODY_FIELD } from './deliveries.ts';
import { PROCESS_WEBHOOK_TASK } from './process-webhook.ts';
import { findWebhookEndpoint } from './webhook-endpoint.ts';

export interface IncomingWebhook {
  secret: string;
  webhookName: string;
  method: string;
  url: string;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  body: string;
  origin: AuditOrigin;
}

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: Record<string, unknown>;
}

const SHOWN_ISSUES = 20;

/**
 * The push path, in the order that keeps every delivery: find the connection by its path secret, check the source's
 * signature, store the raw body sealed, and only then acknowledge; parsing into records and everything after runs in a
 * job. A payload the connector cannot read at all is stored as quarantined (for `sourceline leads replay` once the
 * cause is fixed) and answered 400 with the reasons, by record and field. Redelivery is harmless: records are keyed by
 * their source ids.
 */
export async function receiveWebhook(platform: Platform, incoming: IncomingWebhook): Promise<WebhookAnswer> {
  const lookup = await findWebhookEndpoint(platform, incoming.secret, incoming.webhookName);
  if ('missing' in lookup) return { status: 404, body: { error: lookup.missing } };
  const endpoint = lookup.found;
  const scope = { practiceIds: [endpoint.practiceId] };

  const verified = await Promise.resolve(
    endpoint.webhook.verify({ method: incoming.method, headers: incoming.headers, body: incoming.body, url: incoming.url }, endpoint.settings),
  ).catch(() => false);
  if (!verified) {
    await withTenant(platform.db.prisma, scope, (tx) =>
      recordAuditEvent(tx, {
        action: 'webhook.signature_rejected',
        practiceId: endpoint.practiceId,
        actor: { label: `webhook:${endpoint.connector.id}` },
        origin: incoming.origin,
        target: { type: 'connection', id: endpoint.connectionId },
        details: { webhook: endpoint.webhook.name },
      }),
    );
    return { status: 401, body: { error: `The ${endpoint.connector.displayName} signature did not match this connection's secret.` } };
  }

  const contentType = incoming.headers['content-type'] ?? null;
  let issues: ParseIssue[];
  let unreadable: boolean;
  try {
    const parsed = endpoint.webhook.parse(
      { body: incoming.body, name: `${endpoint.connector.id}/${endpoint.webhook.name}`, contentType: contentType ?? undefined, headers: incoming.headers, receivedAt: new Date().toISOString() },
      endpoint.settings,
    );
    issues = parsed.issues;
    unreadable = parsed.records.length === 0 && !parsed.removed?.some((r) => r.ids.length) && issues.length > 0;
  } catch (error) {
    issues = [{ record: 'payload', field: '(body)', message: error instanceof Error ? error.message : 'could not be parsed' }];
    unreadable = true;
  }

  const deliveryId = await withTenant(platform.db.prisma, scope, async (tx) => {
    const row = await tx.webhookDelivery.create({
      data: {
        practiceId: endpoint.practiceId,
        connectionId: endpoint.connectionId,
        webhook: endpoint.webhook.name,
        bodySealed: new Uint8Array(endpoint.cipher.encrypt(BODY_FIELD, incoming.body)),
        contentType,
        bodyBytes: Buffer.byteLength(incoming.body),
        status: unreadable ? 'quarantined' : 'received',
        issues: unreadable ? issues.slice(0, 100).map((i) => ({ ...i })) : [],
        failure: unreadable ? 'the connector could not read the payload' : null,
      },
      select: { id: true },
    });
    return row.id;
  });
  if (unreadable) {
    return { status: 400, body: { error: 'The payload could not be read; it was kept for replay.', delivery: deliveryId, issues: issues.slice(0, SHOWN_ISSUES) } };
  }
  // After the commit: the delivery is safe even if this enqueue never happens (a sweep re-queues stale deliveries).
  await platform.jobs.addJob(PROCESS_WEBHOOK_TASK, { deliveryId, practiceId: endpoint.practiceId }, { maxAttempts: 10, jobKey: `webhook:${deliveryId}` }).catch((error: Error) => {
    platform.logger.warn({ err: error, deliveryId }, 'could not queue a webhook delivery; the sweep will pick it up');
  });
  return { status: 200, body: { received: true, delivery: deliveryId } };
}
