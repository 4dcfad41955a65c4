import { isUtf8 } from 'node:buffer';
import type { ParseIssue } from '@sourceline/sdk';
import type pg from 'pg';
import { recordAuditEventWithClient, type AuditOrigin } from '../audit/record-audit-event.ts';
import { hashSecret } from '../auth/secrets.ts';
import { sqlLiteral } from '../db/sql-literal.ts';
import { withTenantClient } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { BODY_FIELD, isUnreadable, NOT_UTF8_FAILURE, UNREADABLE_FAILURE } from './deliveries.ts';
import {
  FIND_WEBHOOK_ENDPOINT,
  forgetEndpoint,
  knownEndpoint,
  knownEndpointGuard,
  rememberEndpoint,
  webhookEndpointOf,
  type WebhookEndpoint,
} from './webhook-endpoint.ts';

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
 * signature, store the raw body sealed, and only then acknowledge. One short transaction does all of it: in two round
 * trips (the lookup sent with its BEGIN, the insert with its COMMIT), or in one for an endpoint that took a delivery
 * lately, whose insert re-checks what the lookup found (`knownEndpointGuard`) and which falls back to the lookup when
 * anything changed. Storing a delivery queues its processing in the same transaction (a trigger), so an acknowledged
 * delivery is never left unqueued. A payload the connector cannot read at all is stored as quarantined (for
 * `sourceline leads replay` once the cause is fixed) and answered 400 with the reasons, by record and field.
 * Redelivery is harmless: records are keyed by their source ids.
 */
export async function receiveWebhook(platform: Platform, incoming: IncomingWebhook): Promise<WebhookAnswer> {
  const tokenHash = hashSecret(incoming.secret);
  const body = incoming.rawBody.toString('utf8');
  const known = knownEndpoint(tokenHash, incoming.webhookName);
  if (known) {
    const answer = await receiveAtKnownEndpoint(platform, known, tokenHash, incoming, body);
    if (answer) return answer;
    forgetEndpoint(tokenHash, incoming.webhookName);
  }
  return withTenantClient(platform.db.app, { tokenHash }, async (client, opened) => {
    const lookup = await webhookEndpointOf(platform, client, opened, incoming.webhookName);
    if ('missing' in lookup) return { status: 404, body: { error: lookup.missing } };
    const endpoint = lookup.found;
    if (!(await verified(endpoint, incoming, body))) {
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
    const delivery = readDelivery(endpoint, incoming, body);
    const [inserted] = (await client.query(`${insertDelivery(delivery)}; COMMIT`)) as unknown as [pg.QueryResult<{ id: string }>];
    rememberEndpoint(tokenHash, incoming.webhookName, endpoint);
    return answerFor(delivery, inserted.rows[0]!.id);
  }, FIND_WEBHOOK_ENDPOINT);
}

/**
 * A delivery to an endpoint found lately, in one round trip: stored only if the endpoint is still as it was found.
 * Null when it is not, or the signature does not verify: the full path then looks again, and answers and audits.
 */
async function receiveAtKnownEndpoint(
  platform: Platform,
  endpoint: WebhookEndpoint,
  tokenHash: Buffer,
  incoming: IncomingWebhook,
  body: string,
): Promise<WebhookAnswer | null> {
  if (!(await verified(endpoint, incoming, body))) return null;
  const delivery = readDelivery(endpoint, incoming, body);
  const scope = { tokenHash, practiceIds: [endpoint.practiceId] };
  return withTenantClient(
    platform.db.app,
    scope,
    async (_client, [inserted]) => {
      const id = (inserted as pg.QueryResult<{ id: string }>).rows[0]?.id;
      return id ? answerFor(delivery, id) : null;
    },
    [insertDelivery(delivery, knownEndpointGuard(endpoint)), 'COMMIT'],
  );
}

/** `body` is the raw body as text, decoded once per delivery. */
function verified(endpoint: WebhookEndpoint, incoming: IncomingWebhook, body: string): Promise<boolean> {
  const request = { method: incoming.method, headers: incoming.headers, body, rawBody: incoming.rawBody, url: incoming.url };
  return Promise.resolve(endpoint.webhook.verify(request, endpoint.settings)).catch(() => false);
}

/** A delivery as it is stored: the body sealed, and what made it unreadable, if anything. */
interface ReadDelivery {
  values: [string, string, string, Buffer, string | null, number, string, string, string | null];
  issues: ParseIssue[];
  unreadable: boolean;
}

function readDelivery(endpoint: WebhookEndpoint, incoming: IncomingWebhook, body: string): ReadDelivery {
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
  return {
    values: [
      endpoint.practiceId, endpoint.connectionId, endpoint.webhook.name, endpoint.cipher.encrypt(BODY_FIELD, body), contentType,
      incoming.rawBody.length, unreadable ? 'quarantined' : 'received', JSON.stringify(unreadable ? issues.slice(0, 100) : []), failure,
    ],
    issues,
    unreadable,
  };
}

const DELIVERY_COLUMNS = ['practice_id', 'connection_id', 'webhook', 'body_sealed', 'content_type', 'body_bytes', 'status', 'issues', 'failure'];
const DELIVERY_TYPES = ['uuid', 'uuid', 'text', 'bytea', 'text', 'integer', 'text', 'jsonb', 'text'];

/**
 * The insert, as literals: it is sent with the COMMIT that makes it durable, over the simple protocol, which takes no
 * parameters. With a guard, nothing is stored unless the guard holds.
 */
function insertDelivery(delivery: ReadDelivery, guard?: string): string {
  const row = delivery.values.map((value, i) => `${sqlLiteral(value)}::${DELIVERY_TYPES[i]}`).join(', ');
  return `INSERT INTO webhook_deliveries (${DELIVERY_COLUMNS.join(', ')}) SELECT ${row}${guard ? ` WHERE ${guard}` : ''} RETURNING id`;
}

function answerFor(delivery: ReadDelivery, id: string): WebhookAnswer {
  if (delivery.unreadable) {
    return { status: 400, body: { error: 'The payload could not be read; it was kept for replay.', delivery: id, issues: delivery.issues.slice(0, SHOWN_ISSUES) } };
  }
  return { status: 200, body: { received: true, delivery: id } };
}
