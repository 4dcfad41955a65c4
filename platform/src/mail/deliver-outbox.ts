import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { withSystem } from '../db/tenant-transaction.ts';
import type { Platform } from '../platform.ts';
import { OUTBOX_CONTEXT, openAttachments } from './outbox.ts';

const BATCH = 20;
const MAX_ATTEMPTS = 8;

/**
 * Sends queued mail: over SMTP when SMTP_URL is set, otherwise (the embedded default) into `.data/outbox/*.eml` files,
 * readable only by the owner, and a log line that says where. Rows are claimed with SKIP LOCKED so several workers
 * never send one message twice.
 */
export async function deliverOutbox(platform: Platform): Promise<{ sent: number; failed: number }> {
  const { config, logger } = platform;
  const transport = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : null;
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const outboxDir = path.join(config.dataDir, 'outbox');
  return withSystem(platform.db.owner, async (client) => {
    const { rows } = await client.query<{ id: string; to_address: string; subject: string; body_sealed: Buffer; attachments_sealed: Buffer | null; attempts: number }>(
      `SELECT id, to_address, subject, body_sealed, attachments_sealed, attempts FROM outbox_emails
        WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      [MAX_ATTEMPTS],
    );
    let sent = 0;
    let failed = 0;
    for (const row of rows) {
      try {
        const text = platform.ring.openSecret(row.body_sealed, OUTBOX_CONTEXT).toString();
        const attachments = openAttachments(platform.ring, row.attachments_sealed);
        const mail = { from: config.MAIL_FROM, to: row.to_address, subject: row.subject, text, attachments: attachments.map((a) => ({ ...a })) };
        if (transport) {
          await transport.sendMail(mail);
        } else {
          await mkdir(outboxDir, { recursive: true, mode: 0o700 });
          const file = path.join(outboxDir, `${row.id}.eml`);
          // Plain text stays plain (easy to read and to test); mail with files is written as the MIME message SMTP would carry.
          const message = attachments.length
            ? (await composer.sendMail(mail)).message
            : `From: ${config.MAIL_FROM}\nTo: ${row.to_address}\nSubject: ${row.subject}\n\n${text}\n`;
          await writeFile(file, message, { mode: 0o600 });
          logger.info({ messageId: row.id, file }, 'no SMTP_URL configured: e-mail written to the local outbox');
        }
        await client.query('UPDATE outbox_emails SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1', [row.id]);
        sent += 1;
      } catch (error) {
        failed += 1;
        const message = (error as Error).message.slice(0, 500);
        await client.query('UPDATE outbox_emails SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, message]);
        logger.warn({ messageId: row.id, attempt: row.attempts + 1 }, 'e-mail delivery failed; will retry');
      }
    }
    return { sent, failed };
  });
}
