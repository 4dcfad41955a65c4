import type { Role } from '../auth/roles.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import type { AuthScopes } from './builder.ts';
import type { GraphQLContext } from './context.ts';

/*
 * The role a mutation needs is checked in its field's `authScopes`, before any resolver runs; the domain function
 * checks it again (defence in depth). A mutation naming its agency or practice in the arguments asks for the role on
 * that id directly: an id the caller holds no role on, theirs to see or not, made up or real, gets the same refusal.
 * A mutation naming a row (a location, a rule, a membership) asks where that row sits, through `roleOnRow` below.
 */

export type Scopes = Partial<AuthScopes>;

/** Where a row sits: on an agency (agency-wide memberships and invitations) or on one practice. */
export interface RowPlace {
  agencyId?: string | null;
  practiceId: string | null;
}

/** `role` or better where the row sits: on the agency for an agency-wide row, otherwise on its practice. */
export const roleAt = (row: RowPlace, role: Role): Scopes =>
  row.agencyId ? { agency: { id: row.agencyId, role } } : { practice: { id: row.practiceId!, role } };

/** Admin of the agency or practice a row sits on (agency-level rows need an agency admin). */
export const adminOf = (row: RowPlace): Scopes => roleAt(row, 'admin');

/**
 * The scopes a mutation on an existing row needs: `role` where the row sits. The row is read in the caller's own
 * tenant scope; one they cannot see (another tenant's, or no such id) needs only `signedIn`, so the resolver answers
 * NOT_FOUND for it exactly as for a made-up id: a refusal must not reveal that the id exists. `load` must find the
 * rows the domain function finds (same filters), or the two would disagree about what exists.
 * The domain function checks the role again (defence in depth).
 */
export async function roleOnRow(ctx: GraphQLContext, role: Role, load: (tx: Tx) => Promise<RowPlace | null>): Promise<Scopes> {
  const p = ctx.principal;
  // Not past every sign-in gate: refused with the gate's own message, without reading anything on the caller's behalf.
  if (!p || p.mfaPending || p.mfaEnrollmentRequired) return { signedIn: true };
  const row = await ctx.tenant(load);
  return row ? roleAt(row, role) : { signedIn: true };
}

/** `roleOnRow` for admins: memberships, invitations and every practice setting. */
export const adminOfRow = (ctx: GraphQLContext, load: (tx: Tx) => Promise<RowPlace | null>): Promise<Scopes> => roleOnRow(ctx, 'admin', load);
