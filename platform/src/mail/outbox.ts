import type { KeyRing } from '../crypto/master-key.ts';
import type { Tx } from '../db/tenant-transaction.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Queues mail in the same transaction as the change that causes it, so an invitation and its e-mail exist together or
 * not at all; the `deliver_outbox` job sends it.
 */
export async function queueEmail(tx: Tx, ring: KeyRing, email: OutgoingEmail): Promise<void> {
  const bodySealed = ring.sealSecret(Buffer.from(email.text), OUTBOX_CONTEXT);
  // createMany issues no RETURNING: the app role may add mail but never read it back.
  await tx.outboxEmail.createMany({ data: [{ toAddress: email.to, subject: email.subject, bodySealed }] });
}

export const OUTBOX_CONTEXT = 'sourceline:outbox';
