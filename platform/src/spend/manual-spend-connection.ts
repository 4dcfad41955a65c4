import type { AuditOrigin } from '../audit/record-audit-event.ts';
import type { Principal } from '../auth/principal.ts';
import { createConnection } from '../connections/connections.ts';
import type { PracticeKeyStore } from '../crypto/practice-keys.ts';
import type { Tx } from '../db/tenant-transaction.ts';
import type { Connection } from '../generated/prisma/client.ts';

/** The connector manual spend is filed under (connectors/manual-spend): no streams, no webhooks, no settings. */
export const MANUAL_SPEND_CONNECTOR = 'manual-spend';

/** The practice's manual spend connection, if spend was ever entered; the oldest wins should an admin have added two. */
export function findManualSpendConnection(tx: Tx, practiceId: string): Promise<Connection | null> {
  return tx.connection.findFirst({ where: { practiceId, connectorId: MANUAL_SPEND_CONNECTOR }, orderBy: { createdAt: 'asc' } });
}

/** The same, created (and audited, as any new connection) the first time an admin enters spend. */
export async function manualSpendConnection(
  tx: Tx,
  keys: PracticeKeyStore,
  principal: Principal,
  input: { practiceId: string; origin: AuditOrigin },
): Promise<Connection> {
  const existing = await findManualSpendConnection(tx, input.practiceId);
  if (existing) return existing;
  const { connection } = await createConnection(tx, keys, principal, {
    practiceId: input.practiceId, connectorId: MANUAL_SPEND_CONNECTOR, displayName: 'Manual spend', settings: {}, origin: input.origin,
  });
  return connection;
}
