import type { WorkerUtils } from 'graphile-worker';
import type { Config } from './config.ts';
import type { KeyRing } from './crypto/master-key.ts';
import type { PracticeKeyStore } from './crypto/practice-keys.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './logging/logger.ts';

/** The long-lived services one process holds: handed to the API, the worker and the CLI alike. */
export interface Platform {
  config: Config;
  db: Database;
  ring: KeyRing;
  keys: PracticeKeyStore;
  logger: Logger;
  /** Enqueues background jobs (graphile-worker), from the API as from the worker. */
  jobs: Pick<WorkerUtils, 'addJob' | 'forceUnlockWorkers'>;
}
