import type { KeyRing } from '../crypto/master-key.ts';
import type { Tx } from '../db/tenant-transaction.ts';

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  attachments?: readonly EmailAttachment[];
}

/**
 * Queues mail in the same transaction as the change that causes it, so an invitation and its e-mail exist together or
 * not at all; the `deliver_outbox` job sends it.
 */
export async function queueEmail(tx: Tx, ring: KeyRing, email: OutgoingEmail): Promise<void> {
  const bodySealed = ring.sealSecret(Buffer.from(email.text), OUTBOX_CONTEXT);
  const attachmentsSealed = email.attachments?.length
    ? ring.sealSecret(Buffer.from(JSON.stringify(email.attachments.map((a) => ({ ...a, content: a.content.toString('base64') })))), OUTBOX_CONTEXT)
    : null;
  // createMany issues no RETURNING: the app role may add mail but never read it back.
  await tx.outboxEmail.createMany({ data: [{ toAddress: email.to, subject: email.subject, bodySealed, attachmentsSealed }] });
}

export const OUTBOX_CONTEXT = 'sourceline:outbox';

/** The files of a queued mail, opened (the outbox's delivery reads them). */
export function openAttachments(ring: KeyRing, sealed: Buffer | null): EmailAttachment[] {
  if (!sealed) return [];
  const files = JSON.parse(ring.openSecret(sealed, OUTBOX_CONTEXT).toString()) as { filename: string; contentType: string; content: string }[];
  return files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: Buffer.from(f.content, 'base64') }));
}
