import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { makeWorkerUtils } from 'graphile-worker';
import { loadConfig } from '../src/config.ts';
import { createKeyRing, masterKeyFrom } from '../src/crypto/master-key.ts';
import { PracticeKeyStore } from '../src/crypto/practice-keys.ts';
import { createHttpApp, listen } from '../src/http/server.ts';
import { createLogger } from '../src/logging/logger.ts';
import type { Platform } from '../src/platform.ts';
import { createTestDatabase } from './database.ts';

export interface TestPlatform extends Platform {
  /** Every log line the platform wrote, for PHI and secret leak checks. */
  logs: string[];
  url: string;
  /** The master key, base64, for child processes (CLI, worker) that must read what this platform wrote. */
  masterKey: string;
  close(): Promise<void>;
}

/** A platform on its own cloned database, served over real HTTP on a loopback port. */
export async function startTestPlatform(): Promise<TestPlatform> {
  const db = await createTestDatabase();
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://sourceline.test', DATA_DIR: '.data/test-runtime' });
  const masterKey = randomBytes(32).toString('base64');
  const ring = createKeyRing(masterKeyFrom(masterKey));
  const jobs = await makeWorkerUtils({ pgPool: db.owner });
  const platform: Platform = { config, db, ring, keys: new PracticeKeyStore(ring), logger, jobs };
  const server: http.Server = await listen(createHttpApp(platform), 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    ...platform,
    logs,
    masterKey,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs.release();
      await db.close();
    },
  };
}
