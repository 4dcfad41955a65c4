import { FatalError } from '@sourceline/sdk';
import { withTenantClient } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';

export type ConnectionStatus = 'ok' | 'auth_failed' | 'rate_limited' | 'error';

/** Records how the source last answered; `ok` also stamps the last successful sync. */
export async function setConnectionStatus(
  platform: Platform,
  connection: { practiceId: string; connectionId: string },
  status: ConnectionStatus,
  message: string | null,
): Promise<void> {
  await withTenantClient(platform.db.app, { practiceIds: [connection.practiceId] }, (client) =>
    client.query(
      `UPDATE connections SET status = $2, status_message = $3, updated_at = now(),
              last_synced_at = CASE WHEN $2 = 'ok' THEN now() ELSE last_synced_at END
        WHERE id = $1`,
      [connection.connectionId, status, message],
    ),
  );
}

/** The source refused the stored credentials: retrying cannot help until an admin reconnects. */
export function refusedCredentials(error: unknown): boolean {
  return error instanceof FatalError && (error.status === 401 || error.status === 403);
}
