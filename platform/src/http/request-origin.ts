import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AuditOrigin } from '../audit/record-audit-event.ts';

/**
 * Where a request came from, for the audit log and throttling. X-Forwarded-For is believed only when the operator says
 * a proxy sits in front (TRUST_PROXY), and then only its last hop — the one the proxy itself added.
 */
export function requestOrigin(req: IncomingMessage, trustProxy: boolean): AuditOrigin {
  const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() : '';
  const requestId = String(req.headers['x-request-id'] ?? '').slice(0, 100) || randomUUID();
  return {
    ip: forwarded || req.socket.remoteAddress || null,
    userAgent: String(req.headers['user-agent'] ?? '').slice(0, 400) || null,
    requestId,
  };
}
