import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { prepareOnce, type SessionStatement } from './session-statements.ts';
import { sqlLiteral } from './sql-literal.ts';

/** A Prisma client bound to one transaction whose tenancy context is already set. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * What a transaction may see. Row-level security reads these settings; the server derives them from a verified
 * session, token or job payload, never from what a client asks for.
 */
export interface TenantScope {
  userId?: string | null;
  practiceIds?: readonly string[];
  agencyIds?: readonly string[];
  platformAdmin?: boolean;
  /** SHA-256 of a presented secret (session cookie, API token, one-time link): reveals the one row it names. */
  tokenHash?: Buffer | null;
  /** Set only while signing in: the account looked up and the throttling keys. */
  loginEmail?: string | null;
  loginKey?: Buffer | null;
  clientIp?: string | null;
}

function scopeSettings(scope: TenantScope): [string, string][] {
  return [
    ['app.user_id', scope.userId ?? ''],
    ['app.practice_ids', (scope.practiceIds ?? []).join(',')],
    ['app.agency_ids', (scope.agencyIds ?? []).join(',')],
    ['app.platform_admin', scope.platformAdmin ? 'on' : ''],
    ['app.token_hash', scope.tokenHash?.toString('hex') ?? ''],
    ['app.login_email', scope.loginEmail ?? ''],
    ['app.login_key', scope.loginKey?.toString('hex') ?? ''],
    ['app.client_ip', scope.clientIp ?? ''],
  ];
}

/** One statement that applies every setting of the scope, transaction-local (for Prisma, which sends it bound). */
function contextStatement(scope: TenantScope): { text: string; values: string[] } {
  const settings = scopeSettings(scope);
  const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  return { text: `SELECT ${calls.join(', ')}`, values: settings.flat() };
}

/**
 * `BEGIN` and the scope's settings as one simple-protocol string, sent in one round trip rather than two: every
 * request and job pays for each round trip, and under load each is a chance to wait for a CPU.
 */
export function beginStatement(scope: TenantScope): string {
  const calls = scopeSettings(scope).map(([name, value]) => `set_config('${name}', ${sqlLiteral(value, name)}, true)`);
  return `BEGIN; SELECT ${calls.join(', ')}`;
}

/**
 * Runs `fn` in one transaction as the app role with the scope's settings applied `is_local`, so they vanish at commit
 * and a pooled connection never carries one request's tenant into the next.
 */
export function withTenant<T>(prisma: PrismaClient, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const context = contextStatement(scope);
  return prisma.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(context.text, ...context.values);
    return fn(tx);
  });
}

/**
 * The same, on a raw `pg` connection of the app pool: for bulk statements Prisma has no form for. `opening` statements
 * (no parameters; they may read what the scope reveals) go in the round trip that begins the transaction, and `fn`
 * gets their results. A function that sends its last write with `COMMIT` (`sqlLiteral`) has ended the transaction
 * itself and is not committed again: one round trip fewer on hot paths. `prepared` statements are made ready on the
 * connection before `BEGIN` (`prepareOnce`), for the opening and `fn` to `EXECUTE`.
 */
export async function withTenantClient<T>(
  app: pg.Pool,
  scope: TenantScope,
  fn: (client: pg.PoolClient, opened: pg.QueryResult[]) => Promise<T>,
  opening: readonly string[] = [],
  prepared: readonly SessionStatement[] = [],
): Promise<T> {
  return inTransaction(app, [beginStatement(scope), ...opening].join('; '), opening.length, fn, prepared);
}

/**
 * Owner-run maintenance (audit verification, key rotation, backups, seeding) as the NOLOGIN role sourceline_system,
 * the only role whose policies see every tenant. Never reached from a request.
 */
export function withSystem<T>(owner: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(owner, 'BEGIN; SET LOCAL ROLE sourceline_system', 0, fn);
}

async function inTransaction<T>(
  pool: pg.Pool,
  begin: string,
  opening: number,
  fn: (client: pg.PoolClient, opened: pg.QueryResult[]) => Promise<T>,
  prepared: readonly SessionStatement[] = [],
): Promise<T> {
  const client = await pool.connect();
  try {
    if (prepared.length) await prepareOnce(client, prepared);
    // `begin` always holds several statements, so pg answers with one result each.
    const results = (await client.query(begin)) as unknown as pg.QueryResult[];
    const result = await fn(client, opening ? results.slice(-opening) : []);
    if (client.getTransactionStatus() !== 'I') await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Widens the current transaction's scope by one tenant the caller has just created (a new agency or practice), so
 * the rows that belong to it — memberships, keys, audit events — can be written in the same transaction.
 */
export async function addToScope(tx: Tx, kind: 'agency' | 'practice', id: string): Promise<void> {
  const setting = kind === 'agency' ? 'app.agency_ids' : 'app.practice_ids';
  await tx.$queryRaw`SELECT set_config(${setting}, concat_ws(',', nullif(current_setting(${setting}, true), ''), ${id}::text), true)`;
}

/** A statement runner both a raw `pg` client and a Prisma transaction can be: for writers shared by jobs and the API. */
export interface SqlRunner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** A Prisma transaction as a `SqlRunner` (parameters as `$1…`, like pg's). */
export function sqlRunnerOf(tx: Tx): SqlRunner {
  return { query: (text, values = []) => tx.$executeRawUnsafe(text, ...values) };
}
