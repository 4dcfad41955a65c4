import { createHmac, timingSafeEqual } from 'node:crypto';
import { defineWebhook } from '@sourceline/sdk';
import { mapSubmissions } from './acme-lead.ts';
import type { AcmeFormsSettings } from './settings.ts';

/** Acme signs each webhook: `x-acme-signature: sha256=<hex HMAC of the raw body with the webhook secret>`. */
export function signAcmeBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export const submissionWebhook = defineWebhook<AcmeFormsSettings>({
  name: 'submission-created',
  description: 'Pushed by Acme Forms when someone submits a form',
  emits: ['lead'],
  verify(request, settings) {
    const given = request.headers['x-acme-signature'];
    if (!given) return false;
    const expected = signAcmeBody(request.body, settings.webhookSecret);
    // Constant-time comparison: a timing leak would let an attacker forge signatures byte by byte.
    return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  },
  parse(payload) {
    let body: unknown;
    try {
      body = JSON.parse(payload.body);
    } catch {
      return { records: [], issues: [{ record: payload.name, field: '(body)', message: 'not JSON' }] };
    }
    const { leads, issues } = mapSubmissions([body], payload.name);
    return { records: leads.map((record) => ({ kind: 'lead', record })), issues };
  },
});
