import { Transform, type TransformCallback } from 'node:stream';
import { open, seal } from '../crypto/aead.ts';

/** Plaintext is sealed in frames of this size: large enough to amortise the tag, small enough to stream. */
const FRAME_BYTES = 256 * 1024;

// A frame's index and whether it is the last are bound into its tag: frames cannot be reordered, dropped or the
// stream cut short at a frame boundary without the reader noticing.
const aad = (index: number, final: boolean) => Buffer.from(`sourceline-backup-frame:${index}:${final ? 1 : 0}`);

export class BackupFormatError extends Error {
  override name = 'BackupFormatError';
}

/** AES-256-GCM over a byte stream: `[u32 length][iv ‖ tag ‖ ciphertext]` frames, the last one marked final. */
export function sealFrames(key: Buffer): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  const frame = (plaintext: Buffer, final: boolean) => {
    const sealed = seal(key, plaintext, aad(index, final));
    index += 1;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length);
    return Buffer.concat([length, sealed]);
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Keep at least one byte back so the final frame is never empty-by-accident: flush seals what is left.
      while (pendingBytes > FRAME_BYTES) {
        const all = Buffer.concat(pending);
        this.push(frame(all.subarray(0, FRAME_BYTES), false));
        pending = [all.subarray(FRAME_BYTES)];
        pendingBytes = all.length - FRAME_BYTES;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      this.push(frame(Buffer.concat(pending), true));
      callback();
    },
  });
}

/** The reverse of `sealFrames`; a tampered, reordered or truncated stream fails with BackupFormatError. */
export function openFrames(key: Buffer): Transform {
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      try {
        while (buffered.length >= 4) {
          const length = buffered.readUInt32BE(0);
          if (length > FRAME_BYTES + 64) throw new BackupFormatError(`frame ${index} claims ${length} bytes: not a Sourceline backup, or damaged`);
          if (buffered.length < 4 + length) break;
          if (ended) throw new BackupFormatError('data follows the final frame: the file was altered');
          const sealed = buffered.subarray(4, 4 + length);
          buffered = buffered.subarray(4 + length);
          this.push(openFrame(key, sealed, index));
          index += 1;
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      callback(ended && buffered.length === 0 ? null : new BackupFormatError('the backup ends early: the file is truncated'));
    },
  });

  function openFrame(frameKey: Buffer, sealed: Buffer, frameIndex: number): Buffer {
    try {
      return open(frameKey, sealed, aad(frameIndex, false));
    } catch {
      try {
        const last = open(frameKey, sealed, aad(frameIndex, true));
        ended = true;
        return last;
      } catch {
        throw new BackupFormatError(`frame ${frameIndex} failed authentication: the file was damaged or altered`);
      }
    }
  }
}
