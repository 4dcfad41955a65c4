import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { makeWorkerUtils } from 'graphile-worker';
import type pg from 'pg';
import { loadConfig } from '../config.ts';
import { createKeyRing, masterKeyFrom } from '../crypto/master-key.ts';
import { PracticeKeyStore } from '../crypto/practice-keys.ts';
import { withSystem, withTenant } from '../db/tenant-transaction.ts';
import { appRoleUrl } from '../db/app-role.ts';
import { connectDatabase } from '../db/database.ts';
import { startEmbeddedCluster } from '../db/embedded-postgres.ts';
import { createPracticeKeys } from '../crypto/practice-keys.ts';
import { createLogger } from '../logging/logger.ts';
import type { Platform } from '../platform.ts';

export interface BenchPlatform extends Platform {
  practiceId: string;
  /** What a child process (server, worker) needs to join this platform. */
  childEnv: Record<string, string>;
  /** The embedded cluster's data directory (its `postmaster.pid` names the server process). */
  postgresDataDir: string;
  close(): Promise<void>;
}

/**
 * A throw-away platform for a benchmark: its own embedded PostgreSQL in `.data/bench-*` (removed afterwards), one
 * agency with one practice and its keys. Durable settings (fsync on) so figures resemble a real server.
 */
export async function startBenchPlatform(options: { settings?: Record<string, string> } = {}): Promise<BenchPlatform> {
  await mkdir('.data', { recursive: true });
  const dir = await mkdtemp(path.resolve('.data/bench-'));
  // A bench stopped with Ctrl-C exits through embedded-postgres's exit hook once the cluster has stopped: the
  // throw-away directory goes then.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  await chmod(dir, 0o755);
  const postgresDataDir = path.join(dir, 'pg');
  const cluster = await startEmbeddedCluster({ dataDir: postgresDataDir, port: 55_000 + Math.floor(Math.random() * 5_000), persistent: true, password: randomBytes(12).toString('hex'), settings: options.settings });
  await cluster.createDatabase('bench');
  const appPassword = randomBytes(12).toString('hex');
  const db = await connectDatabase({ ownerUrl: cluster.url('bench'), appPassword, migrate: true, poolSize: 8 });
  const masterKey = randomBytes(32).toString('base64');
  const ring = createKeyRing(masterKeyFrom(masterKey));
  const keys = new PracticeKeyStore(ring);
  const practiceId = await withSystem(db.owner, async (c) => {
    const agency = await c.query<{ id: string }>(`INSERT INTO agencies (name) VALUES ('Bench Agency') RETURNING id`);
    return (await c.query<{ id: string }>(`INSERT INTO practices (agency_id, name, time_zone) VALUES ($1, 'Bench Dental', 'America/Chicago') RETURNING id`, [agency.rows[0]!.id])).rows[0]!.id;
  });
  await withTenant(db.prisma, { practiceIds: [practiceId] }, (tx) => createPracticeKeys(tx, ring, practiceId));
  const jobs = await makeWorkerUtils({ pgPool: db.owner });
  return {
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: dir }),
    db,
    ring,
    keys,
    logger: createLogger({ level: 'silent' }),
    jobs,
    practiceId,
    postgresDataDir,
    childEnv: {
      DATABASE_URL: cluster.url('bench'),
      APP_DATABASE_URL: appRoleUrl(cluster.url('bench'), appPassword),
      SOURCELINE_MASTER_KEY: masterKey,
      DATA_DIR: dir,
      DEMO: 'false',
      LOG_LEVEL: 'silent',
    },
    async close() {
      await jobs.release();
      await db.close();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
      process.removeListener('exit', removeDir);
    },
  };
}

/**
 * Gives a fresh cluster the WAL segments a server that has been taking load has: one that has run through checkpoints
 * renames its used segments into the next ones, while a new cluster creates each 16 MB segment as its WAL reaches it,
 * writing it full of zeros and syncing it while holding the WAL write lock — under `pnpm bench ingest` every ~8 s,
 * each time stalling every commit, and so every acknowledgement, for 40–50 ms. Here `bytes` of WAL are written in
 * whole segments (a switch after a one-record message) and a checkpoint then recycles them ahead of the insert point,
 * as the checkpoints of a running server do (its estimate of the WAL between checkpoints decides how many it keeps).
 */
export async function preallocateWal(owner: pg.Pool, bytes: number): Promise<{ segments: number }> {
  const client = await owner.connect();
  try {
    const size = Number((await client.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'`)).rows[0]!.setting);
    const segments = Math.ceil(bytes / size);
    for (let i = 0; i < segments; i += 1) await client.query(`SELECT pg_logical_emit_message(false, 'sourceline-bench', ''), pg_switch_wal()`);
    await client.query('CHECKPOINT');
    return { segments };
  } finally {
    client.release();
  }
}
