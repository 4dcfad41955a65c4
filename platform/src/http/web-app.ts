import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web');

/**
 * The built Remix app as an express handler, or null when `web/build` does not exist yet (API-only mode). The web
 * package owns how it is served; the platform only mounts it behind the same port as the API.
 */
export async function loadWebApp(): Promise<RequestHandler | null> {
  const entry = path.join(WEB_DIR, 'server', 'handler.mjs');
  if (!existsSync(path.join(WEB_DIR, 'build', 'server', 'index.js')) || !existsSync(entry)) return null;
  const module = (await import(pathToFileURL(entry).href)) as { createWebHandler: () => Promise<RequestHandler> };
  return module.createWebHandler();
}
