import express, { type NextFunction, type Request, type Response } from 'express';
import type { Platform } from '../platform.ts';
import { requestOrigin } from '../http/request-origin.ts';
import { receiveWebhook } from './receive-webhook.ts';
import { hashSecret } from '../auth/secrets.ts';
import { withTenantClient } from '../db/tenant-transaction.ts';
import { FIND_WEBHOOK_ENDPOINT, webhookEndpointOf } from './webhook-endpoint.ts';

/** Sources send small JSON or form bodies; anything bigger is refused before it is read into memory. */
export const MAX_WEBHOOK_BYTES = 1_000_000;

/**
 * `POST /hooks/<secret>/<webhook>`: one endpoint per connection, its path secret shown once when the connection is
 * created. The body is read raw — signatures are computed over the exact bytes.
 */
export function webhookRoutes(platform: Platform): express.Router {
  const router = express.Router();
  router.post('/:secret/:webhook', express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req: Request, res: Response, next: NextFunction) => {
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      const answer = await receiveWebhook(platform, {
        secret: String(req.params.secret),
        webhookName: String(req.params.webhook),
        method: req.method,
        url: `${platform.config.publicUrl}${req.originalUrl}`,
        headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        origin: requestOrigin(req, platform.config.TRUST_PROXY),
      });
      res.status(answer.status).json(answer.body);
    } catch (error) {
      next(error);
    }
  });
  // Some sources prove the address before sending anything (Meta's hub.challenge): answered, never stored.
  router.get('/:secret/:webhook', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const query = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
      const answer = await withTenantClient(platform.db.app, { tokenHash: hashSecret(String(req.params.secret)) }, async (client, opened) => {
        const lookup = await webhookEndpointOf(platform, client, opened, String(req.params.webhook));
        if ('missing' in lookup) return { status: 404, body: lookup.missing };
        const { webhook, settings } = lookup.found;
        if (!webhook.challenge) return { status: 405, body: 'This webhook accepts POST deliveries only.' };
        return webhook.challenge(query, settings);
      }, FIND_WEBHOOK_ENDPOINT);
      res.status(answer.status).type('text/plain').send(answer.body);
    } catch (error) {
      next(error);
    }
  });
  router.use((error: { type?: string; status?: number } & Error, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: `The payload is larger than ${MAX_WEBHOOK_BYTES.toLocaleString('en-US')} bytes.` });
      return;
    }
    // The body could not be read as sent (an encoding we do not decode, a gzip stream that is not one): the sender's
    // mistake, and retrying the same bytes will not help.
    if (error.type === 'encoding.unsupported') {
      res.status(415).json({ error: 'Unsupported Content-Encoding: send the body uncompressed, or gzip or deflate it.' });
      return;
    }
    if (error.status !== undefined && error.status >= 400 && error.status < 500) {
      res.status(400).json({ error: 'The body could not be decoded as its Content-Encoding says.' });
      return;
    }
    platform.logger.error({ err: error }, 'webhook delivery could not be stored');
    // 5xx tells the sender to retry: nothing was acknowledged, so nothing is lost.
    res.status(503).json({ error: 'The delivery could not be stored right now; please retry.' });
  });
  return router;
}
