import type { AuditOrigin } from '../audit/record-audit-event.ts';
import { scopeOf, type Principal } from '../auth/principal.ts';
import { withTenant, type Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import type { Platform } from '../platform.ts';

export interface GraphQLContext {
  platform: Platform;
  principal: Principal | null;
  /** The presented session token (cookie), so sign-in can retire it and sign-out can revoke it. */
  sessionId: string | null;
  origin: AuditOrigin;
  /** Cookies the response must set (sign-in, sign-out). */
  setCookies: string[];
  /** Runs `fn` in a transaction scoped to everything the caller may reach. */
  tenant<T>(fn: (tx: Tx, principal: Principal) => Promise<T>): Promise<T>;
  /**
   * The result of `read` for `key`, read once per request: fields resolved in their own transactions that need the
   * same figures (the dashboard's totals and its data-quality panel) share one read. Only for reads the caller may
   * make whichever field asks first.
   */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

export function createContext(input: {
  platform: Platform;
  principal: Principal | null;
  origin: AuditOrigin;
  setCookies: string[];
}): GraphQLContext {
  const { platform, principal } = input;
  const reads = new Map<string, Promise<unknown>>();
  return {
    ...input,
    sessionId: principal?.sessionId ?? null,
    tenant(fn) {
      if (!principal) throw new UserFacingError('Sign in first.', 'UNAUTHENTICATED');
      return withTenant(platform.db.prisma, scopeOf(principal), (tx) => fn(tx, principal));
    },
    once<T>(key: string, read: () => Promise<T>): Promise<T> {
      let shared = reads.get(key) as Promise<T> | undefined;
      if (!shared) {
        shared = read();
        reads.set(key, shared);
        // A failed read is not kept: the field that asks next reads again.
        shared.catch(() => reads.delete(key));
      }
      return shared;
    },
  };
}
