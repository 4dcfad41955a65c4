import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../src/db/database.ts';
import { startEmbeddedCluster } from '../src/db/embedded-postgres.ts';
import { freePort } from '../src/http/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplateUrl: string;
    pgAppPassword: string;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One embedded PostgreSQL per test run, with a migrated template database that each test file clones. */
export default async function setup(project: TestProject) {
  const base = path.join(root, '.data');
  await mkdir(base, { recursive: true });
  const dataDir = await mkdtemp(path.join(base, 'test-pg-'));
  await chmod(dataDir, 0o755);
  const password = randomBytes(16).toString('hex');
  const cluster = await startEmbeddedCluster({
    dataDir: path.join(dataDir, 'pg'),
    port: await freePort(),
    persistent: false,
    password,
  });
  await cluster.createDatabase('app_template');
  const appPassword = randomBytes(16).toString('hex');
  const db = await connectDatabase({ ownerUrl: cluster.url('app_template'), appPassword, migrate: true });
  await db.close();
  project.provide('pgTemplateUrl', cluster.url('app_template'));
  project.provide('pgAppPassword', appPassword);
  return async () => {
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
