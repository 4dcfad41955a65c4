import SchemaBuilder from '@pothos/core';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import { GraphQLError } from 'graphql';
import { isRole, roleAtLeast, type Role } from '../auth/roles.ts';
import { UserFacingError } from '../errors.ts';
import type { GraphQLContext } from './context.ts';
import { isUuid } from '../ids.ts';

export interface AuthScopes {
  /** Signed in and past every gate (second factor, required MFA enrolment). */
  signedIn: boolean;
  /** Holds a session at any stage: enough to finish MFA, enrol, or sign out. */
  session: boolean;
  platformAdmin: boolean;
  practice: { id: string; role: Role };
  agency: { id: string; role: Role };
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date } };
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, SimpleObjectsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Pothos caches these per request, so a role check costs one map lookup however often a field asks.
    authScopes: (ctx) => {
      const p = ctx.principal;
      const ready = !!p && !p.mfaPending && !p.mfaEnrollmentRequired;
      return {
        signedIn: ready,
        session: !!p,
        platformAdmin: ready && p.platformAdmin,
        practice: ({ id, role }) => ready && roleAtLeast(p.practiceRoles.get(id), role),
        agency: ({ id, role }) => ready && roleAtLeast(p.agencyRoles.get(id), role),
      };
    },
    unauthorizedError: (_parent, context) =>
      new GraphQLError(
        !context.principal
          ? 'Sign in first.'
          : context.principal.mfaPending
            ? 'Enter your two-factor code to finish signing in.'
            : context.principal.mfaEnrollmentRequired
              ? 'Your agency requires two-factor authentication: set it up to continue.'
              : 'You do not have permission to do this.',
        {
          extensions: {
            code: !context.principal
              ? 'UNAUTHENTICATED'
              : context.principal.mfaPending
                ? 'MFA_REQUIRED'
                : context.principal.mfaEnrollmentRequired
                  ? 'MFA_ENROLLMENT_REQUIRED'
                  : 'FORBIDDEN',
          },
        },
      ),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Every node id is a UUID: anything else is the caller's mistake, named here rather than failing in a query.
    // The value is not repeated back: a mistyped id can carry anything, a patient's name included.
    decodeGlobalID: (globalID) => {
      let decoded: { typename: string; id: string } | null = null;
      try {
        decoded = decodeGlobalID(globalID);
      } catch {
        // reported below
      }
      if (!decoded || !isUuid(decoded.id)) throw new UserFacingError('An ID argument is not a Sourceline ID.', 'BAD_USER_INPUT');
      return decoded;
    },
  },
});

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string.');
    return date;
  },
});

export const RoleEnum = builder.enumType('Role', {
  description: 'admin: configure and manage people, and see PHI. analyst: reports and PHI. viewer: aggregates only.',
  values: { ADMIN: { value: 'admin' }, ANALYST: { value: 'analyst' }, VIEWER: { value: 'viewer' } } as const,
});

builder.queryType({});
builder.mutationType({});

/** Roles are stored as checked text; this narrows a row's role for the Role enum. */
export function roleOf(row: { role: string }): Role {
  if (!isRole(row.role)) throw new Error(`unknown role in a stored row: ${row.role}`);
  return row.role;
}
