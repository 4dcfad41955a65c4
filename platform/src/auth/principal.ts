import type pg from 'pg';
import type { Tx, TenantScope } from '../db/tenant-transaction.ts';
import { higherRole, isRole, lowerRole, type Role } from './roles.ts';

/** Who is calling and what they may reach: derived from a verified session or API token on every request. */
export interface Principal {
  userId: string;
  sessionId: string | null;
  tokenId: string | null;
  platformAdmin: boolean;
  /** Signed in with a password but the second factor is still owed: nothing but MFA verification is allowed. */
  mfaPending: boolean;
  /** An agency the user belongs to requires MFA and the user has not enrolled: only enrolment is allowed. */
  mfaEnrollmentRequired: boolean;
  agencyRoles: ReadonlyMap<string, Role>;
  /** Effective role in every reachable practice: the higher of agency- and practice-level memberships. */
  practiceRoles: ReadonlyMap<string, Role>;
  practiceAgency: ReadonlyMap<string, string>;
}

export function scopeOf(principal: Principal): TenantScope {
  return {
    userId: principal.userId,
    agencyIds: [...principal.agencyRoles.keys()],
    practiceIds: [...principal.practiceRoles.keys()],
    platformAdmin: principal.platformAdmin,
  };
}

/** Reads rows with `$1…` parameters: a raw `pg` client (`rowsOfClient`) or a Prisma transaction (`rowsOfTx`). */
export type RowReader = <T>(text: string, values: unknown[]) => Promise<T[]>;

export const rowsOfClient = (client: pg.PoolClient): RowReader => async <T>(text: string, values: unknown[]) =>
  (await client.query(text, values)).rows as T[];

export const rowsOfTx = (tx: Tx): RowReader => <T>(text: string, values: unknown[]) => tx.$queryRawUnsafe<T[]>(text, ...values);

interface UserRow {
  id: string;
  is_platform_admin: boolean;
  mfa_enabled: boolean;
  memberships: { agencyId: string | null; practiceId: string | null; role: string }[];
}

/**
 * Loads a user's memberships and the practices they reach, inside a transaction whose context already names the user.
 * Agency memberships reach every practice of the agency, so the agency ids are applied before practices are read.
 * Three statements, whatever the user belongs to: it runs on every request.
 */
export async function loadPrincipal(
  rows: RowReader,
  input: {
    userId: string;
    sessionId?: string | null;
    mfaPending?: boolean;
    token?: { id: string; role: Role; practiceIds: string[] } | null;
  },
): Promise<Principal | null> {
  const [user] = await rows<UserRow>(
    `SELECT u.id, u.is_platform_admin, u.mfa_enabled_at IS NOT NULL AS mfa_enabled,
            coalesce((SELECT json_agg(json_build_object('agencyId', m.agency_id, 'practiceId', m.practice_id, 'role', m.role))
                        FROM memberships m WHERE m.user_id = u.id), '[]') AS memberships
       FROM users u WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [input.userId],
  );
  if (!user) return null;
  const agencyRoles = new Map<string, Role>();
  const directPracticeRoles = new Map<string, Role>();
  for (const m of user.memberships) {
    if (!isRole(m.role)) continue;
    if (m.agencyId) agencyRoles.set(m.agencyId, higherRole(agencyRoles.get(m.agencyId), m.role));
    if (m.practiceId) directPracticeRoles.set(m.practiceId, higherRole(directPracticeRoles.get(m.practiceId), m.role));
  }
  const agencyIds = [...agencyRoles.keys()];
  const directPracticeIds = [...directPracticeRoles.keys()];
  await rows(`SELECT set_config('app.agency_ids', $1, true), set_config('app.practice_ids', $2, true)`, [agencyIds.join(','), directPracticeIds.join(',')]);
  const [reach] = await rows<{ practices: { id: string; agencyId: string }[]; mfa_required: boolean }>(
    `SELECT coalesce((SELECT json_agg(json_build_object('id', p.id, 'agencyId', p.agency_id)) FROM practices p
                       WHERE p.agency_id = ANY($1::uuid[]) OR p.id = ANY($2::uuid[])), '[]') AS practices,
            EXISTS (SELECT 1 FROM agencies a WHERE a.mfa_required
                      AND (a.id = ANY($1::uuid[]) OR a.id IN (SELECT p.agency_id FROM practices p WHERE p.id = ANY($2::uuid[])))) AS mfa_required`,
    [agencyIds, directPracticeIds],
  );
  const practices = reach?.practices ?? [];
  let practiceRoles = new Map<string, Role>();
  const practiceAgency = new Map<string, string>();
  for (const p of practices) {
    const viaAgency = agencyRoles.get(p.agencyId);
    const direct = directPracticeRoles.get(p.id);
    const role = viaAgency && direct ? higherRole(viaAgency, direct) : (viaAgency ?? direct);
    if (!role) continue;
    practiceRoles.set(p.id, role);
    practiceAgency.set(p.id, p.agencyId);
  }
  let tokenAgencyRoles: Map<string, Role> | null = null;
  if (input.token) {
    // A token reaches at most what its owner reaches today, at the lower of the two roles, and never agency-wide.
    const allowed = new Map<string, Role>();
    for (const practiceId of input.token.practiceIds) {
      const role = practiceRoles.get(practiceId);
      if (role) allowed.set(practiceId, lowerRole(role, input.token.role));
    }
    practiceRoles = allowed;
    tokenAgencyRoles = new Map();
  }
  const mfaRequired = reach?.mfa_required ?? false;
  return {
    userId: user.id,
    sessionId: input.sessionId ?? null,
    tokenId: input.token?.id ?? null,
    platformAdmin: user.is_platform_admin && !input.token,
    mfaPending: input.mfaPending ?? false,
    mfaEnrollmentRequired: !input.token && mfaRequired && !user.mfa_enabled,
    agencyRoles: tokenAgencyRoles ?? agencyRoles,
    practiceRoles,
    practiceAgency,
  };
}
