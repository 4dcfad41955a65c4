import { createHmac, hash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Tx } from '../db/tenant-transaction.ts';
import { open, seal } from './aead.ts';
import type { KeyRing } from './master-key.ts';

const FORMAT = 1;
const HEADER_BYTES = 5; // format byte + uint32 data-key version
const CACHE_MS = 5 * 60_000;

/** Encrypts and decrypts one practice's PHI fields and computes its blind indexes. */
export interface PracticeCipher {
  practiceId: string;
  encrypt(field: string, plaintext: string): Buffer;
  decrypt(field: string, ciphertext: Buffer): string;
  /**
   * A keyed HMAC of a normalised value (E.164 phone, canonical e-mail, name key): equal inputs give equal indexes
   * within a practice, so lookups and the matcher's blocking work without decrypting, and a dump reveals nothing.
   */
  blindIndex(kind: string, normalised: string): Buffer;
  /**
   * A keyed digest of a record's serialised content, compared only for equality (has it changed since it was
   * stored?): SHA-256 over the blind-index key and the text, in one native call. Half an HMAC's cost, which is two
   * hashes and a key schedule per call; an initial sync digests hundreds of thousands of records. Length extension,
   * the weakness of a key-prefixed hash as a MAC, does not apply: nobody verifies a digest handed to us.
   */
  contentDigest(kind: string, content: string): Buffer;
}

/** What a wrapped data key is bound to: unwrapping it for another practice, purpose or version fails. */
export function dataKeyContext(practiceId: string, purpose: string, version: number): string {
  return `sourceline:data-key:${practiceId}:${purpose}:${version}`;
}

/** Gives a new practice its first data key and blind-index key, wrapped under the current master key. */
export async function createPracticeKeys(tx: Tx, ring: KeyRing, practiceId: string): Promise<void> {
  for (const purpose of ['data', 'blind_index'] as const) {
    const { wrapped, masterKeyId } = ring.wrap(randomBytes(32), dataKeyContext(practiceId, purpose, 1));
    await tx.dataKey.create({ data: { practiceId, purpose, version: 1, wrappedKey: wrapped, masterKeyId } });
  }
}

/**
 * Unwrapped practice keys, cached briefly in memory so a request does not unwrap on every field. Loading goes through
 * the caller's tenant transaction: a practice outside the caller's scope has no visible keys and cannot be decrypted.
 */
export class PracticeKeyStore {
  private readonly cache = new Map<string, { cipher: PracticeCipher; keyCount: number; loadedAt: number }>();

  constructor(private readonly ring: KeyRing) {}

  cipherFor(tx: Tx, practiceId: string): Promise<PracticeCipher> {
    return this.resolve(practiceId, {
      visible: () => tx.dataKey.count({ where: { practiceId } }),
      rows: () => tx.dataKey.findMany({ where: { practiceId, retiredAt: null }, orderBy: { version: 'asc' } }),
    });
  }

  /**
   * The same, on a raw app-role connection inside a tenant transaction (hot paths that skip Prisma). A caller that
   * has counted the practice's visible keys in this transaction already passes the count.
   */
  cipherForClient(client: pg.PoolClient, practiceId: string, visibleKeys?: number): Promise<PracticeCipher> {
    return this.resolve(practiceId, {
      visible: async () =>
        visibleKeys ?? (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM data_keys WHERE practice_id = $1', [practiceId])).rows[0]!.n,
      rows: async () =>
        (
          await client.query<{ purpose: string; version: number; wrappedKey: Buffer; masterKeyId: string }>(
            `SELECT purpose, version, wrapped_key AS "wrappedKey", master_key_id AS "masterKeyId" FROM data_keys
              WHERE practice_id = $1 AND retired_at IS NULL ORDER BY version`,
            [practiceId],
          )
        ).rows,
    });
  }

  private async resolve(
    practiceId: string,
    read: { visible(): Promise<number>; rows(): Promise<{ purpose: string; version: number; wrappedKey: Uint8Array; masterKeyId: string }[]> },
  ): Promise<PracticeCipher> {
    const cached = this.cache.get(practiceId);
    // The cache skips unwrapping, not the tenancy check: the key rows must still be visible to this transaction. A
    // changed count means `keys rotate --new-data-keys` added a version that other processes may already seal with.
    const keyCount = await read.visible();
    if (cached && Date.now() - cached.loadedAt < CACHE_MS && keyCount === cached.keyCount) return cached.cipher;
    const rows = await read.rows();
    if (rows.length === 0) throw new Error(`practice ${practiceId} has no data keys visible in this context`);
    const data = new Map<number, Buffer>();
    let blind: Buffer | undefined;
    for (const row of rows) {
      const key = this.ring.unwrap(Buffer.from(row.wrappedKey), row.masterKeyId, dataKeyContext(practiceId, row.purpose, row.version));
      if (row.purpose === 'data') data.set(row.version, key);
      else blind = key;
    }
    if (!blind || data.size === 0) throw new Error(`practice ${practiceId} is missing a data or blind-index key`);
    const cipher = makeCipher(practiceId, data, blind);
    this.cache.set(practiceId, { cipher, keyCount, loadedAt: Date.now() });
    return cipher;
  }

  forget(practiceId?: string): void {
    if (practiceId) this.cache.delete(practiceId);
    else this.cache.clear();
  }
}

/**
 * The unwrapped keys behind a cipher. Only for a worker thread of this same process to build the same cipher
 * (`cipherFromKeys`): never logged, stored or sent out of the process.
 */
export interface CipherKeys {
  practiceId: string;
  dataKeys: [version: number, key: Uint8Array][];
  blindKey: Uint8Array;
}

const keysOfCiphers = new WeakMap<PracticeCipher, CipherKeys>();

export function cipherKeys(cipher: PracticeCipher): CipherKeys {
  const keys = keysOfCiphers.get(cipher);
  if (!keys) throw new Error(`cipher of practice ${cipher.practiceId} was not made from data keys`);
  return keys;
}

export function cipherFromKeys(keys: CipherKeys): PracticeCipher {
  return makeCipher(keys.practiceId, new Map(keys.dataKeys.map(([version, key]) => [version, Buffer.from(key)])), Buffer.from(keys.blindKey));
}

function makeCipher(practiceId: string, dataKeys: Map<number, Buffer>, blindKey: Buffer): PracticeCipher {
  const activeVersion = Math.max(...dataKeys.keys());
  // A practice's fields are few: each AAD is built once.
  const aads = new Map<string, Buffer>();
  const aad = (field: string, version: number) => {
    const context = `${practiceId}:${field}:${version}`;
    let bytes = aads.get(context);
    if (!bytes) aads.set(context, (bytes = Buffer.from(context)));
    return bytes;
  };
  const digestPrefix = `${blindKey.toString('hex')}\u0000content:`;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(FORMAT, 0);
  header.writeUInt32BE(activeVersion, 1);
  const cipher: PracticeCipher = {
    practiceId,
    encrypt(field, plaintext) {
      return seal(dataKeys.get(activeVersion)!, plaintext, aad(field, activeVersion), header);
    },
    decrypt(field, ciphertext) {
      if (ciphertext.readUInt8(0) !== FORMAT) throw new Error(`unknown ciphertext format in field ${field}`);
      const version = ciphertext.readUInt32BE(1);
      const key = dataKeys.get(version);
      if (!key) throw new Error(`data key version ${version} of practice ${practiceId} is not available`);
      return open(key, ciphertext.subarray(HEADER_BYTES), aad(field, version)).toString('utf8');
    },
    blindIndex(kind, normalised) {
      return createHmac('sha256', blindKey).update(`${kind}\u0000${normalised}`).digest();
    },
    contentDigest(kind, content) {
      return hash('sha256', `${digestPrefix}${kind}\u0000${content}`, 'buffer');
    },
  };
  keysOfCiphers.set(cipher, { practiceId, dataKeys: [...dataKeys], blindKey });
  return cipher;
}
