import { parentPort } from 'node:worker_threads';
import type { RecordKind, RecordOf } from '@sourceline/sdk';
import { cipherFromKeys, type CipherKeys } from '../crypto/practice-keys.ts';
import { prepareUpsert } from './write-records.ts';

/** A batch to prepare as known new (`prepare-off-thread.ts` sends it). */
export interface PrepareRequest {
  id: number;
  keys: CipherKeys;
  kind: RecordKind;
  records: RecordOf<RecordKind>[];
}

export type PrepareReply =
  | { id: number; hashes: [string, Uint8Array][]; columns: string[] }
  | { id: number; error: string };

// The thread's entry: digests, seals and encodes each batch it is sent, and answers with the result.
parentPort!.on('message', (request: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    const prepared = prepareUpsert(cipherFromKeys(request.keys), request.kind, request.records, undefined, true);
    reply = { id: request.id, hashes: [...prepared.hashes], columns: prepared.rows!.columns };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
