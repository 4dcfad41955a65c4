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

/**
 * Loads a user's memberships and the practices they reach, inside a transaction whose context already names the user.
 * Agency memberships reach every practice of the agency, so the agency ids are applied before practices are read.
 */
export async function loadPrincipal(
  tx: Tx,
  input: {
    userId: string;
    sessionId?: string | null;
    mfaPending?: boolean;
    token?: { id: string; role: Role; practiceIds: string[] } | null;
  },
): Promise<Principal | null> {
  const user = await tx.user.findUnique({ where: { id: input.userId } });
  if (!user || user.disabledAt) return null;
  const memberships = await tx.membership.findMany({ where: { userId: user.id } });
  const agencyRoles = new Map<string, Role>();
  const directPracticeRoles = new Map<string, Role>();
  for (const m of memberships) {
    if (!isRole(m.role)) continue;
    if (m.agencyId) agencyRoles.set(m.agencyId, higherRole(agencyRoles.get(m.agencyId), m.role));
    if (m.practiceId) directPracticeRoles.set(m.practiceId, higherRole(directPracticeRoles.get(m.practiceId), m.role));
  }
  await tx.$queryRaw`SELECT set_config('app.agency_ids', ${[...agencyRoles.keys()].join(',')}, true),
                            set_config('app.practice_ids', ${[...directPracticeRoles.keys()].join(',')}, true)`;
  const practices = await tx.practice.findMany({
    where: { OR: [{ agencyId: { in: [...agencyRoles.keys()] } }, { id: { in: [...directPracticeRoles.keys()] } }] },
    select: { id: true, agencyId: true, agency: { select: { mfaRequired: true } } },
  });
  const agencies = await tx.agency.findMany({ where: { id: { in: [...agencyRoles.keys()] } }, select: { mfaRequired: true } });
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
  const mfaRequired = agencies.some((a) => a.mfaRequired) || practices.some((p) => p.agency.mfaRequired);
  return {
    userId: user.id,
    sessionId: input.sessionId ?? null,
    tokenId: input.token?.id ?? null,
    platformAdmin: user.isPlatformAdmin && !input.token,
    mfaPending: input.mfaPending ?? false,
    mfaEnrollmentRequired: !input.token && mfaRequired && !user.mfaEnabledAt,
    agencyRoles: tokenAgencyRoles ?? agencyRoles,
    practiceRoles,
    practiceAgency,
  };
}
