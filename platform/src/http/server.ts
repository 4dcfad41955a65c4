import http from 'node:http';
import { captureScript } from '@sourceline/connector-website/capture-script';
import express, { type RequestHandler } from 'express';
import type { Platform } from '../platform.ts';
import { issueCsrfCookie, requireCsrfToken } from './csrf.ts';
import { webhookRoutes } from '../webhooks/webhook-routes.ts';
import { createGraphQLHandler } from './graphql-handler.ts';
import { exportRoutes } from '../reports/exports/export-routes.ts';

/**
 * One HTTP server for the whole product: the GraphQL API, health checks and, when built, the web app.
 */
export function createHttpApp(platform: Platform, options: { web?: RequestHandler | null } = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (platform.config.TRUST_PROXY) app.set('trust proxy', 1);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    if (platform.config.secureCookies) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });
  app.get('/healthz', async (_req, res) => {
    try {
      await platform.db.app.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  // The practice's sites load this from every page: cache it, but not so long that a fix takes days to arrive.
  app.get('/s.js', (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.send(captureScript);
  });
  // Webhooks come from servers, authenticated by their path secret and signature: no cookies, no CSRF token.
  app.use('/hooks', webhookRoutes(platform));
  app.use(issueCsrfCookie(platform.config.secureCookies));
  // Reads only (GET), authenticated like the API: a session cookie (SameSite) or an API token.
  app.use('/exports', exportRoutes(platform));
  const graphql = createGraphQLHandler(platform);
  app.use('/graphql', requireCsrfToken, (req, res) => graphql(req, res));
  if (options.web) app.use(options.web);
  else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('Sourceline API is running at /graphql. Build the web app (pnpm build) to serve the UI here.');
    });
  }
  return app;
}

/**
 * Idle kept-alive connections stay open a minute, past the idle timeout of common load balancers (60 s): Node's
 * default of 5 s closes them while a client may be sending its next request on one, which the client sees as a reset
 * connection (under `pnpm bench ingest`, one request in 12,000). Headers may take a second longer than that, as Node
 * requires.
 */
export const KEEP_ALIVE_MS = 65_000;

export function listen(app: express.Express, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer({ keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1_000 }, app);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
