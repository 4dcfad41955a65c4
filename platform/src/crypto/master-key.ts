import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { readOrCreateSecretFile } from '../db/secrets-file.ts';
import { open, seal } from './aead.ts';

export interface MasterKey {
  /** A fingerprint, stored beside everything this key wraps, so rotation knows what still needs re-wrapping. */
  id: string;
  key: Buffer;
}

/**
 * The key-encryption keys: the current master key (wraps everything new) and previous ones (still unwrap what they
 * wrapped until `sourceline keys rotate` has re-wrapped it). Production takes them from the environment or a KMS
 * adapter implementing this interface; the embedded default keeps one in `.data/master.key` (mode 0600).
 */
export interface KeyRing {
  current: MasterKey;
  byId(id: string): MasterKey;
  wrap(plaintext: Buffer, context: string): { wrapped: Buffer<ArrayBuffer>; masterKeyId: string };
  unwrap(wrapped: Buffer, masterKeyId: string, context: string): Buffer;
  /** A self-describing blob (master key id, then the sealed bytes) for single secrets such as a TOTP seed. */
  sealSecret(plaintext: Buffer, context: string): Buffer<ArrayBuffer>;
  openSecret(blob: Buffer, context: string): Buffer;
  /** The master key id a sealed secret was made with. */
  secretKeyId(blob: Buffer): string;
}

export function masterKeyFrom(base64: string): MasterKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('a master key is 32 bytes, base64-encoded');
  return { key, id: `mk_${createHash('sha256').update(key).digest('hex').slice(0, 16)}` };
}

export function createKeyRing(current: MasterKey, previous: MasterKey[] = []): KeyRing {
  const all = new Map([current, ...previous].map((k) => [k.id, k]));
  const byId = (id: string) => {
    const key = all.get(id);
    if (!key) throw new Error(`master key ${id} is not configured (set it in SOURCELINE_PREVIOUS_MASTER_KEYS)`);
    return key;
  };
  return {
    current,
    byId,
    wrap: (plaintext, context) => ({
      wrapped: seal(current.key, plaintext, Buffer.from(context)),
      masterKeyId: current.id,
    }),
    unwrap: (wrapped, masterKeyId, context) => open(byId(masterKeyId).key, wrapped, Buffer.from(context)),
    sealSecret: (plaintext, context) =>
      Buffer.concat([Buffer.from(`${current.id}:`), seal(current.key, plaintext, Buffer.from(context))]),
    openSecret: (blob, context) => open(byId(secretKeyIdOf(blob)).key, blob.subarray(blob.indexOf(0x3a) + 1), Buffer.from(context)),
    secretKeyId: secretKeyIdOf,
  };
}

function secretKeyIdOf(blob: Buffer): string {
  const colon = blob.indexOf(0x3a);
  if (colon <= 0) throw new Error('sealed secret has no master key id');
  return blob.subarray(0, colon).toString();
}

export const MASTER_KEY_FILE = 'master.key';
export const PREVIOUS_MASTER_KEYS_FILE = 'master.previous.keys';

/**
 * The configured key ring: SOURCELINE_MASTER_KEY (+ SOURCELINE_PREVIOUS_MASTER_KEYS), or in the embedded default the
 * generated `.data/master.key` and the keys `keys rotate` retired into `.data/master.previous.keys`.
 */
export async function loadKeyRing(config: Config): Promise<KeyRing> {
  if (config.SOURCELINE_MASTER_KEY) {
    return createKeyRing(masterKeyFrom(config.SOURCELINE_MASTER_KEY), config.SOURCELINE_PREVIOUS_MASTER_KEYS.map(masterKeyFrom));
  }
  const current = await readOrCreateSecretFile(path.join(config.dataDir, MASTER_KEY_FILE));
  const previousFile = path.join(config.dataDir, PREVIOUS_MASTER_KEYS_FILE);
  const previous = existsSync(previousFile) ? (await readFile(previousFile, 'utf8')).split('\n').filter(Boolean) : [];
  return createKeyRing(masterKeyFrom(fromFileFormat(current)), previous.map((line) => masterKeyFrom(fromFileFormat(line))));
}

/** Key files hold base64url (what readOrCreateSecretFile writes); the environment takes standard base64. */
function fromFileFormat(value: string): string {
  return Buffer.from(value.trim(), 'base64url').toString('base64');
}
