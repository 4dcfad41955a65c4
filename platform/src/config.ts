import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === '' ? undefined : value))
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });
const masterKey = z
  .string()
  .trim()
  .refine((value) => Buffer.from(value, 'base64').length === 32, {
    message: 'must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)',
  });

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalUrl(['http', 'https']),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  APP_DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  EMBEDDED_PG_PORT: port.default(54329),
  SOURCELINE_MASTER_KEY: masterKey.optional(),
  SOURCELINE_PREVIOUS_MASTER_KEYS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((key) => key.trim()).filter(Boolean))
    .pipe(z.array(masterKey)),
  SMTP_URL: optionalUrl(['smtp', 'smtps']),
  MAIL_FROM: z.string().trim().default('Sourceline <no-reply@sourceline.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Seed the demo agency on the first start (and keep its simulated offices running). */
  DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  /** Whether `start` also runs a worker (turn off on API-only nodes when workers run as `sourceline worker`). */
  START_WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * The CPU niceness `sourceline worker` gives itself and, where they run on the same machine, the PostgreSQL backends
   * of its connections (0 keeps them): background work yields the processor to request handling wherever the two
   * share a host, and costs nothing where the worker runs alone.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** A worker whose heartbeat is older than this is presumed dead and its jobs are released. */
  WORKER_STALE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(45),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
});

export type Config = z.infer<typeof configSchema> & {
  /** Absolute data directory: the embedded database, the generated master key, the app role's password. */
  dataDir: string;
  publicUrl: string;
  /** Whether session cookies get the Secure attribute: the public URL is https. */
  secureCookies: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** `WORKER_NICE` alone, for a process lowering its priority before it loads anything else; null when malformed. */
export function workerNiceOf(env: NodeJS.ProcessEnv = process.env): number | null {
  const parsed = configSchema.shape.WORKER_NICE.safeParse(env.WORKER_NICE);
  return parsed.success ? parsed.data : null;
}

/** Parses the environment once at start-up; every bad variable is named at once, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  // Rules across variables read what was set, so they are named alongside any malformed variable, not after its fix.
  const set = (name: string) => Boolean(env[name]?.trim());
  if (set('APP_DATABASE_URL') && !set('DATABASE_URL')) {
    problems.push('APP_DATABASE_URL: set DATABASE_URL (the owner connection that runs migrations) as well');
  }
  if (env.NODE_ENV === 'production' && !set('SOURCELINE_MASTER_KEY')) {
    problems.push('SOURCELINE_MASTER_KEY: required in production (the generated .data/master.key is for local use)');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const config = parsed.data;
  const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
  return {
    ...config,
    dataDir: path.resolve(config.DATA_DIR),
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
  };
}
