import type pg from 'pg';

export const APP_ROLE = 'sourceline_app';

/**
 * Lets the app role log in with the given password and connect to this database. The role itself (NOLOGIN, no
 * BYPASSRLS) comes from the first migration; the password is set here so it never appears in a migration file.
 */
export async function enableAppRoleLogin(owner: pg.Pool, password: string): Promise<void> {
  const client = await owner.connect();
  try {
    const { rows } = await client.query<{ alter: string; grant: string }>(
      `SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', $1::text, $2::text) AS alter,
              format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), $1::text) AS grant`,
      [APP_ROLE, password],
    );
    await client.query(rows[0]!.alter);
    await client.query(rows[0]!.grant);
  } finally {
    client.release();
  }
}

/** The app role's connection string: the owner's, with the app role's credentials. */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}
