import type pg from 'pg';
import { withSystem } from '../db/tenant-transaction.ts';
import { normaliseEmail } from './login.ts';
import { hashPassword } from './passwords.ts';
import { newSecret } from './secrets.ts';

export interface CreatedAdmin {
  userId: string;
  email: string;
  /** Printed once by the CLI; the person signs in with it and changes it. */
  oneTimePassword: string;
}

/**
 * Creates a platform administrator (who can create agencies) from the command line, or resets the password of an
 * existing one. Runs as sourceline_system: there is no signed-in user to scope it to.
 */
export async function createPlatformAdmin(owner: pg.Pool, input: { email: string; displayName: string }): Promise<CreatedAdmin> {
  const email = normaliseEmail(input.email);
  const oneTimePassword = newSecret(15);
  const passwordHash = await hashPassword(oneTimePassword);
  const userId = await withSystem(owner, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (email, display_name, password_hash, is_platform_admin) VALUES ($1, $2, $3, true)
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, is_platform_admin = true, updated_at = now()
       RETURNING id`,
      [email, input.displayName, passwordHash],
    );
    const id = rows[0]!.id;
    await client.query(
      `INSERT INTO audit_log (actor_label, action, target_type, target_id, prev_hash, hash)
       VALUES ('cli', 'user.admin_created', 'user', $1, '\\x', '\\x')`,
      [id],
    );
    return id;
  });
  return { userId, email, oneTimePassword };
}

export async function countUsers(owner: pg.Pool): Promise<number> {
  return withSystem(owner, async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n);
}
