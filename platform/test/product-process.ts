import { randomBytes } from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { appRoleUrl } from '../src/db/app-role.ts';
import { connectDatabase, type Database } from '../src/db/database.ts';
import { startEmbeddedCluster, type EmbeddedCluster } from '../src/db/embedded-postgres.ts';
import { freePort } from '../src/http/free-port.ts';

/** Helpers for the tests that run the product as a user does, in processes they kill, restart and starve. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'platform/src/cli/main.ts');

/** A scratch directory under `.data/` (removed by the caller), readable by the PostgreSQL user when run as root. */
export async function scratchDirectory(prefix: string): Promise<string> {
  await mkdir(path.join(REPO_ROOT, '.data'), { recursive: true });
  const dir = await mkdtemp(path.join(REPO_ROOT, '.data', prefix));
  await chmod(dir, 0o755);
  return dir;
}

export interface OwnCluster {
  dir: string;
  cluster: EmbeddedCluster;
  /** Stops PostgreSQL for `pauseMs` and starts it again on the same files and port. */
  restart(pauseMs: number): Promise<void>;
  db: Database;
  /** What `sourceline start` needs to run on this cluster with `masterKey`, on a free port (`PORT`). */
  productEnv(masterKey: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test file's own, with one migrated database: for tests that restart PostgreSQL, which
 * the suite's shared cluster must never see.
 */
export async function startOwnCluster(prefix: string, database: string): Promise<OwnCluster> {
  const dir = await scratchDirectory(prefix);
  const options = { dataDir: path.join(dir, 'pg'), port: await freePort(), persistent: true, password: randomBytes(12).toString('hex') };
  let cluster = await startEmbeddedCluster(options);
  await cluster.createDatabase(database);
  const appPassword = randomBytes(12).toString('hex');
  const db = await connectDatabase({ ownerUrl: cluster.url(database), appPassword, migrate: true, poolSize: 2 });
  return {
    dir,
    get cluster() {
      return cluster;
    },
    async restart(pauseMs) {
      await cluster.stop();
      await sleep(pauseMs);
      cluster = await startEmbeddedCluster(options);
    },
    db,
    productEnv: async (masterKey) => ({
      DATABASE_URL: cluster.url(database),
      APP_DATABASE_URL: appRoleUrl(cluster.url(database), appPassword),
      SOURCELINE_MASTER_KEY: masterKey,
      DATA_DIR: dir,
      PORT: String(await freePort()),
      DEMO: 'false',
      // FAULT_LOGS=info shows the server's own log while diagnosing a failing test.
      LOG_LEVEL: process.env.FAULT_LOGS ?? 'silent',
    }),
    async close() {
      await db.close();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `sourceline start` (API and worker in one process, as a user runs it) with `env`, once it answers its health check
 * on `env.PORT`. `logs` shows its own log, for diagnosing a failing test.
 */
export async function startProductServer(env: Record<string, string>, options: { logs?: boolean; timeoutMs?: number } = {}): Promise<ChildProcess> {
  const child = fork(CLI, ['start'], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: options.logs ? 'inherit' : 'ignore' });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it answered its health check`);
    try {
      if ((await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become healthy within ${timeoutMs / 1000} s`);
}
