export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role | undefined, minimum: Role): boolean {
  return role !== undefined && rank[role] >= rank[minimum];
}

export function higherRole(a: Role | undefined, b: Role): Role {
  return a !== undefined && rank[a] >= rank[b] ? a : b;
}

export function lowerRole(a: Role, b: Role): Role {
  return rank[a] <= rank[b] ? a : b;
}

/** Viewers see aggregates only; admins and analysts may read names, phones, e-mails and birthdates. */
export function canReadPhi(role: Role | undefined): boolean {
  return roleAtLeast(role, 'analyst');
}
