import { open as openFile } from 'node:fs/promises';
import { z } from 'zod';
import { BackupFormatError } from './sealed-frames.ts';

const MAGIC = 'SOURCELINE-BACKUP';
const FORMAT = 1;

/** The plaintext header: what a restore must check before it decrypts anything. No tenant data. */
export const BackupHeader = z.object({
  format: z.literal(FORMAT),
  createdAt: z.string(),
  postgres: z.string(),
  /** The migrations the backed-up schema had, in order; a restore builds exactly this schema before loading. */
  migrations: z.array(z.object({ name: z.string(), checksum: z.string() })),
  /** The backup's own data key, sealed under the installation's master key (base64). */
  sealedKey: z.string(),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

export function encodeHeader(header: Omit<BackupHeader, 'format'>): Buffer {
  return Buffer.from(`${MAGIC} ${FORMAT}\n${JSON.stringify({ format: FORMAT, ...header })}\n`);
}

/** Reads the header of a backup file and where its sealed body starts. */
export async function readHeader(file: string): Promise<{ header: BackupHeader; bodyOffset: number }> {
  const handle = await openFile(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(1 << 20), position: 0 });
    const head = buffer.subarray(0, bytesRead);
    const first = head.indexOf('\n');
    const second = first < 0 ? -1 : head.indexOf('\n', first + 1);
    const magic = first < 0 ? '' : head.subarray(0, first).toString();
    if (!magic.startsWith(`${MAGIC} `)) throw new BackupFormatError(`${file} is not a Sourceline backup`);
    if (magic !== `${MAGIC} ${FORMAT}`) throw new BackupFormatError(`${file} is backup format ${magic.slice(MAGIC.length + 1)}; this build reads format ${FORMAT}`);
    if (second < 0) throw new BackupFormatError(`${file}: the header is cut short`);
    const parsed = BackupHeader.safeParse(safeJson(head.subarray(first + 1, second).toString()));
    if (!parsed.success) throw new BackupFormatError(`${file}: the header is damaged (${parsed.error.issues[0]?.path.join('.') || 'not JSON'})`);
    return { header: parsed.data, bodyOffset: second + 1 };
  } finally {
    await handle.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
