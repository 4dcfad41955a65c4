import { isUtf8 } from 'node:buffer';
import type { ParseIssue } from '@sourceline/sdk';
import type pg from 'pg';
import { recordAuditEventWithClient, type AuditOrigin } from '../audit/record-audit-event.ts';
import { hashSecret } from '../auth/secrets.ts';
import { sqlLiteral } from '../db/sql-literal.ts';
import { withTenantClient } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { BODY_FIELD, isUnreadable, NOT_UTF8_FAILURE, UNREADABLE_FAILURE } from './deliveries.ts';
import { FIND_WEBHOOK_ENDPOINT, webhookEndpointOf } from './webhook-endpoint.ts';

export interface IncomingWebhook {
  secret: string;
  webhookName: string;
  method: string;
  url: string;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** The bytes received: signatures cover these. */
  rawBody: Buffer;
  origin: AuditOrigin;
}

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: Record<string, unknown>;
}

const SHOWN_ISSUES = 20;

/**
 * The push path, in the order that keeps every delivery: find the connection by its path secret, check the source's
 * signature, store the raw body sealed, and only then acknowledge. One short transaction in two round trips does all
 * of it (the lookup sent with its BEGIN, the insert with its COMMIT); storing a delivery queues its processing in the
 * same transaction (a trigger), so an acknowledged delivery is never left unqueued. A payload the connector cannot
 * read at all is stored as quarantined (for `sourceline leads replay` once the cause is fixed) and answered 400 with
 * the reasons, by record and field. Redelivery is harmless: records are keyed by their source ids.
 */
export async function receiveWebhook(platform: Platform, incoming: IncomingWebhook): Promise<WebhookAnswer> {
  return withTenantClient(platform.db.app, { tokenHash: hashSecret(incoming.secret) }, async (client, opened) => {
    const lookup = await webhookEndpointOf(platform, client, opened, incoming.webhookName);
    if ('missing' in lookup) return { status: 404, body: { error: lookup.missing } };
    const endpoint = lookup.found;

    const body = incoming.rawBody.toString('utf8');
    const verified = await Promise.resolve(
      endpoint.webhook.verify({ method: incoming.method, headers: incoming.headers, body, rawBody: incoming.rawBody, url: incoming.url }, endpoint.settings),
    ).catch(() => false);
    if (!verified) {
      await recordAuditEventWithClient(client, {
        action: 'webhook.signature_rejected',
        practiceId: endpoint.practiceId,
        actor: { label: `webhook:${endpoint.connector.id}` },
        origin: incoming.origin,
        target: { type: 'connection', id: endpoint.connectionId },
        details: { webhook: endpoint.webhook.name },
      });
      return { status: 401, body: { error: `The ${endpoint.connector.displayName} signature did not match this connection's secret.` } };
    }

    const contentType = incoming.headers['content-type'] ?? null;
    let issues: ParseIssue[];
    let failure: string | null;
    try {
      // Text with replacement characters would parse into names and numbers the sender never sent.
      if (!isUtf8(incoming.rawBody)) throw new Error(NOT_UTF8_FAILURE);
      const parsed = endpoint.webhook.parse(
        { body, name: `${endpoint.connector.id}/${endpoint.webhook.name}`, contentType: contentType ?? undefined, headers: incoming.headers, receivedAt: new Date().toISOString() },
        endpoint.settings,
      );
      issues = parsed.issues;
      failure = isUnreadable(parsed) ? UNREADABLE_FAILURE : null;
    } catch (error) {
      issues = [{ record: 'payload', field: '(body)', message: error instanceof Error ? error.message : 'could not be parsed' }];
      failure = error instanceof Error && error.message === NOT_UTF8_FAILURE ? NOT_UTF8_FAILURE : UNREADABLE_FAILURE;
    }
    const unreadable = failure !== null;

    // Sent with the COMMIT that makes it durable, as literals (the simple protocol takes no parameters).
    const values = [
      endpoint.practiceId, endpoint.connectionId, endpoint.webhook.name, endpoint.cipher.encrypt(BODY_FIELD, body), contentType,
      incoming.rawBody.length, unreadable ? 'quarantined' : 'received', JSON.stringify(unreadable ? issues.slice(0, 100) : []), failure,
    ].map((value) => sqlLiteral(value));
    const [inserted] = (await client.query(
      `INSERT INTO webhook_deliveries (practice_id, connection_id, webhook, body_sealed, content_type, body_bytes, status, issues, failure)
       VALUES (${values.join(', ')}) RETURNING id; COMMIT`,
    )) as unknown as [pg.QueryResult<{ id: string }>];
    const delivery = inserted.rows[0]!.id;
    if (unreadable) {
      return { status: 400, body: { error: 'The payload could not be read; it was kept for replay.', delivery, issues: issues.slice(0, SHOWN_ISSUES) } };
    }
    return { status: 200, body: { received: true, delivery } };
  }, FIND_WEBHOOK_ENDPOINT);
}
