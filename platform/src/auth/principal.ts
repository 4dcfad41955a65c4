import type pg from 'pg';
import type { TenantScope } from '../db/tenant-transaction.ts';
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

/**
 * Loads a user's memberships and the practices they reach, inside a transaction whose context already names the user.
 * Agency memberships reach every practice of the agency, so the agency ids are applied before practices are read.
 */
export async function loadPrincipal(
  client: pg.PoolClient,
  input: {
    userId: string;
    sessionId?: string | null;
    mfaPending?: boolean;
    token?: { id: string; role: Role; practiceIds: string[] } | null;
  },
): Promise<Principal | null> {
  const { rows: users } = await client.query<{
    id: string;
    is_platform_admin: boolean;
    mfa_enabled: boolean;
    memberships: { agencyId: string | null; practiceId: string | null; role: string }[];
  }>(
    `SELECT u.id, u.is_platform_admin, u.mfa_enabled_at IS NOT NULL AS mfa_enabled,
            coalesce((SELECT json_agg(json_build_object('agencyId', m.agency_id, 'practiceId', m.practice_id, 'role', m.role))
                        FROM memberships m WHERE m.user_id = u.id), '[]') AS memberships
       FROM users u WHERE u.id = $1 AND u.disabled_at IS NULL`,
    [input.userId],
  );
  const user = users[0];
  if (!user) return null;
  const agencyRoles = new Map<string, Role>();
  const directPracticeRoles = new Map<string, Role>();
  for (const m of user.memberships) {
    if (!isRole(m.role)) continue;
    if (m.agencyId) agencyRoles.set(m.agencyId, higherRole(agencyRoles.get(m.agencyId), m.role));
    if (m.practiceId) directPracticeRoles.set(m.practiceId, higherRole(directPracticeRoles.get(m.practiceId), m.role));
  }
  await client.query(`SELECT set_config('app.agency_ids', $1, true), set_config('app.practice_ids', $2, true)`, [
    [...agencyRoles.keys()].join(','),
    [...directPracticeRoles.keys()].join(','),
  ]);
  // The practices reached, and whether any agency of theirs, or of the user's (one may have no practice yet), requires MFA.
  // Rows with no practice id are agencies of the user's own, present only to say they require MFA.
  const { rows: practices } = await client.query<{ id: string | null; agency_id: string; mfa_required: boolean }>(
    `SELECT p.id, p.agency_id, a.mfa_required FROM practices p JOIN agencies a ON a.id = p.agency_id
      WHERE p.agency_id = ANY($1::uuid[]) OR p.id = ANY($2::uuid[])
     UNION ALL
     SELECT NULL, a.id, a.mfa_required FROM agencies a WHERE a.id = ANY($1::uuid[]) AND a.mfa_required`,
    [[...agencyRoles.keys()], [...directPracticeRoles.keys()]],
  );
  let practiceRoles = new Map<string, Role>();
  const practiceAgency = new Map<string, string>();
  for (const p of practices) {
    if (!p.id) continue;
    const viaAgency = agencyRoles.get(p.agency_id);
    const direct = directPracticeRoles.get(p.id);
    const role = viaAgency && direct ? higherRole(viaAgency, direct) : (viaAgency ?? direct);
    if (!role) continue;
    practiceRoles.set(p.id, role);
    practiceAgency.set(p.id, p.agency_id);
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
  const mfaRequired = practices.some((p) => p.mfa_required);
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
