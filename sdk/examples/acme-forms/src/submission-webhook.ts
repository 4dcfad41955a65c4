import { defineWebhook, hmacDigest, verifyHmacSignature, webhookBodyBytes } from '@sourceline/sdk';
import { mapSubmissions } from './acme-lead.ts';
import type { AcmeFormsSettings } from './settings.ts';

/** Acme signs each webhook: `x-acme-signature: sha256=<hex HMAC of the raw body with the webhook secret>`. */
export function signAcmeBody(body: string | Uint8Array, secret: string): string {
  return `sha256=${hmacDigest('sha256', secret, body, 'hex')}`;
}

export const submissionWebhook = defineWebhook<AcmeFormsSettings>({
  name: 'submission-created',
  description: 'Pushed by Acme Forms when someone submits a form',
  emits: ['lead'],
  verify(request, settings) {
    // Over the bytes received (not the decoded text), compared in constant time: a timing leak would let an attacker
    // forge signatures byte by byte.
    return verifyHmacSignature({
      given: request.headers['x-acme-signature'],
      body: webhookBodyBytes(request),
      key: settings.webhookSecret,
      algorithm: 'sha256',
      encoding: 'hex',
      prefix: 'sha256=',
    });
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
