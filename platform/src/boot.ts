import { makeWorkerUtils } from 'graphile-worker';
import type { Config } from './config.ts';
import { loadKeyRing } from './crypto/master-key.ts';
import { PracticeKeyStore } from './crypto/practice-keys.ts';
import { openDatabase, type BackendPriority } from './db/database.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import type { Platform } from './platform.ts';

/** Opens everything a Sourceline process needs: database (migrated unless told not to), key ring and logger. */
export async function bootPlatform(
  config: Config,
  options: { migrate?: boolean; logger?: Logger; backendPriority?: BackendPriority } = {},
): Promise<Platform> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const ring = await loadKeyRing(config);
  const db = await openDatabase(config, { migrate: options.migrate ?? true, backendPriority: options.backendPriority });
  if (db.migration?.applied.length) logger.info({ applied: db.migration.applied }, 'applied database migrations');
  const jobs = await makeWorkerUtils({ pgPool: db.owner });
  return { config, db, ring, keys: new PracticeKeyStore(ring), logger, jobs };
}
