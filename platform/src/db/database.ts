import type { Socket } from 'node:net';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Config } from '../config.ts';
import { lowerBackendPriority } from '../jobs/cpu-priority.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { appRoleUrl, enableAppRoleLogin } from './app-role.ts';
import { startEmbeddedCluster, type EmbeddedCluster } from './embedded-postgres.ts';
import { migrate, type MigrationResult } from './migrate.ts';
import { readOrCreateSecretFile } from './secrets-file.ts';

export interface Database {
  /** Owner connection string: migrations, maintenance (as sourceline_system) and graphile-worker's queue. */
  ownerUrl: string;
  owner: pg.Pool;
  /** The app role (row-level security applies): every request and job goes through these. */
  app: pg.Pool;
  prisma: PrismaClient;
  migration: MigrationResult | null;
  embedded: boolean;
  close(): Promise<void>;
}

const EMBEDDED_DATABASE = 'sourceline';

/**
 * Connects to PostgreSQL — the embedded cluster under the data directory unless DATABASE_URL names another — applies
 * pending migrations, and opens the owner and app-role pools. Both modes share every step after the connection URL.
 */
export async function openDatabase(
  config: Config,
  options: { migrate?: boolean; poolSize?: number; backendPriority?: BackendPriority } = {},
): Promise<Database> {
  const { ownerUrl, stop } = await ownerEndpoint(config);
  return connectDatabase({
    ownerUrl,
    appUrl: config.APP_DATABASE_URL,
    appPasswordFile: path.join(config.dataDir, 'app-db.secret'),
    migrate: options.migrate ?? true,
    poolSize: options.poolSize,
    backendPriority: options.backendPriority,
    onClose: stop,
  });
}

/** The owner's pool alone, for maintenance that runs before the schema (and so the app role) exists: a restore. */
export async function openOwnerPool(config: Config): Promise<{ owner: pg.Pool; close(): Promise<void> }> {
  const { ownerUrl, stop } = await ownerEndpoint(config);
  const owner = createPool(ownerUrl, 2);
  return {
    owner,
    async close() {
      await owner.end();
      await stop?.();
    },
  };
}

/** The owner's connection string, starting the embedded cluster (and creating its database) when there is no DATABASE_URL. */
async function ownerEndpoint(config: Config): Promise<{ ownerUrl: string; stop?: () => Promise<void> }> {
  if (config.DATABASE_URL) return { ownerUrl: config.DATABASE_URL };
  const cluster: EmbeddedCluster = await startEmbeddedCluster({
    dataDir: path.join(config.dataDir, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    persistent: true,
    password: await readOrCreateSecretFile(path.join(config.dataDir, 'pg-superuser.secret')),
    ownSession: true,
  });
  await cluster.createDatabase(EMBEDDED_DATABASE);
  return { ownerUrl: cluster.url(EMBEDDED_DATABASE), stop: () => cluster.stop() };
}

export async function connectDatabase(options: {
  ownerUrl: string;
  appUrl?: string | undefined;
  appPasswordFile?: string;
  appPassword?: string;
  migrate: boolean;
  poolSize?: number | undefined;
  backendPriority?: BackendPriority | undefined;
  onClose?: (() => Promise<void>) | undefined;
}): Promise<Database> {
  const onConnect = options.backendPriority && backendLowerer(options.backendPriority);
  const owner = createPool(options.ownerUrl, 4, onConnect);
  try {
    const migration = options.migrate ? await migrate(owner) : null;
    let appUrl = options.appUrl;
    if (!appUrl) {
      const password = options.appPassword ?? (await readOrCreateSecretFile(options.appPasswordFile!));
      await enableAppRoleLogin(owner, password);
      appUrl = appRoleUrl(options.ownerUrl, password);
    }
    const app = createPool(appUrl, options.poolSize ?? 10, onConnect);
    const prisma = new PrismaClient({ adapter: new PrismaPg(app) });
    return {
      ownerUrl: options.ownerUrl,
      owner,
      app,
      prisma,
      migration,
      embedded: options.onClose !== undefined,
      async close() {
        await prisma.$disconnect();
        await app.end();
        await owner.end();
        await options.onClose?.();
      },
    };
  } catch (error) {
    await owner.end();
    await options.onClose?.();
    throw error;
  }
}

/**
 * The CPU niceness for the PostgreSQL backends of a process's connections (`sourceline worker`'s), applied to those
 * that run on this machine as each connection opens; `onRefused` hears why the system would not, once.
 */
export interface BackendPriority {
  niceness: number;
  onRefused(reason: string): void;
}

function createPool(connectionString: string, max: number, onConnect?: (client: pg.PoolClient) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // A client losing its connection (e.g. the server restarting) must not crash the process: the pool replaces idle
  // clients, and a checked-out client's query fails with the error where it can be handled.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    onConnect?.(client);
  });
  return pool;
}

/** Lowers each new connection's backend; the first refusal is reported, the rest would say the same. */
function backendLowerer(priority: BackendPriority): (client: pg.PoolClient) => void {
  let reported = false;
  return (client) => {
    const { processID } = client as pg.PoolClient & { processID?: number };
    const clientPort = (client.connection.stream as Socket).localPort;
    if (!processID || !clientPort) return; // A Unix socket: its title names no port to check the pid against.
    const result = lowerBackendPriority({ pid: processID, clientPort }, priority.niceness);
    if (result && 'refused' in result && !reported) {
      reported = true;
      priority.onRefused(result.refused);
    }
  };
}
