import { createHttpClient, FatalError, isRetryable, type ConnectorLogger } from '@sourceline/sdk';
import { recordAuditEvent, type AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import { UserFacingError } from '../errors.ts';
import { requirePracticeRole } from '../tenancy/tenants.ts';
import { openSettings } from './connection-settings.ts';
import { connectorOrThrow } from './connections.ts';

const TEST_TIMEOUT_MS = 20_000;
const quiet: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

/**
 * "Test connection": one cheap request with the stored settings, answered in the settings screen within seconds.
 * The connection's status follows the answer, so a fixed key clears an `auth_failed` flag at once.
 */
export async function testConnection(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { connectionId: string; origin: AuditOrigin },
): Promise<ConnectionTestResult> {
  const connection = await tx.connection.findUnique({ where: { id: input.connectionId } });
  if (!connection) throw new UserFacingError('No connection with that id.', 'NOT_FOUND');
  requirePracticeRole(principal, connection.practiceId, 'admin');
  const connector = connectorOrThrow(connection.connectorId);
  if (!connector.testConnection) {
    return { ok: false, message: `${connector.displayName} has no connection test.` };
  }
  const settings = openSettings(await keys.cipherFor(tx, connection.practiceId), connector, connection.settingsSealed);
  const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
  let result: ConnectionTestResult;
  let status: string;
  try {
    const http = createHttpClient({ signal, log: quiet, maxAttempts: 2, maxRetryAfterMs: 5_000, timeoutMs: TEST_TIMEOUT_MS });
    result = { ok: true, message: await connector.testConnection({ settings, http, log: quiet, signal }) };
    status = 'ok';
  } catch (error) {
    const known = error instanceof FatalError || isRetryable(error);
    result = { ok: false, message: known ? (error as Error).message : `${connector.displayName} could not be reached (${(error as Error).name}).` };
    status = error instanceof FatalError && (error.status === 401 || error.status === 403) ? 'auth_failed' : 'error';
  }
  await tx.connection.update({ where: { id: connection.id }, data: { status, statusMessage: result.ok ? null : result.message, updatedAt: new Date() } });
  await recordAuditEvent(tx, {
    action: 'connection.tested',
    practiceId: connection.practiceId,
    actor: { userId: principal.userId, tokenId: principal.tokenId },
    origin: input.origin,
    target: { type: 'connection', id: connection.id },
    details: { ok: result.ok },
  });
  return result;
}
