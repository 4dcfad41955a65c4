import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordKind, RecordOf } from '@sourceline/sdk';
import { cipherKeys, type PracticeCipher } from '../crypto/practice-keys.ts';
import type { PrepareReply, PrepareRequest } from './prepare-thread.ts';
import type { PreparedUpsert } from './write-records.ts';

/**
 * Prepares a known-new batch — every record digested, every PHI field sealed, every column encoded — on a worker
 * thread, so that the second core does it while this thread fetches and maps the next page. Sealing is most of an
 * initial sync's CPU for charts (eight fields each, a cipher context per field), and while this thread is busy with
 * it PostgreSQL waits for the next batch.
 *
 * One thread per process, started by the first large batch (loading it costs ~300 ms of CPU, which a small sync
 * should not pay) and left alone while idle (it keeps no process alive). A thread that fails rejects what it was
 * preparing; the next batch starts a new one.
 */
export function prepareKnownNewOffThread<K extends RecordKind>(cipher: PracticeCipher, kind: K, records: readonly RecordOf<K>[]): Promise<PreparedUpsert<K>> {
  const byId = new Map(records.map((r) => [r.id, r]));
  // Built before anything waits on the thread: a cipher without keys must not leave a reply awaited forever.
  const request: PrepareRequest = { id: (nextId += 1), keys: cipherKeys(cipher), kind, records: [...byId.values()] };
  const thread = (current ??= startThread());
  return new Promise<PreparedUpsert<K>>((resolve, reject) => {
    thread.waiting.set(request.id, {
      resolve: (reply) =>
        resolve({ kind, byId, hashes: new Map(reply.hashes.map(([source, hash]) => [source, Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength)])), rows: { columns: reply.columns, identifiers: null } }),
      reject,
    });
    if (thread.waiting.size === 1) thread.worker.ref();
    thread.worker.postMessage(request);
  });
}

interface PrepareThread {
  worker: Worker;
  waiting: Map<number, { resolve(reply: Extract<PrepareReply, { hashes: unknown }>): void; reject(error: Error): void }>;
}

let current: PrepareThread | undefined;
let nextId = 0;

function startThread(): PrepareThread {
  // The thread loads TypeScript as this process does, through tsx: its hooks registered before the entry is imported
  // (an `--import` of them does not finish registering first in a worker), tsx named by path to resolve from here.
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const entry = new URL('./prepare-thread.ts', import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
  const thread: PrepareThread = { worker, waiting: new Map() };
  worker.unref();
  worker.on('message', (reply: PrepareReply) => {
    const waiting = thread.waiting.get(reply.id);
    if (!waiting) return;
    thread.waiting.delete(reply.id);
    if (thread.waiting.size === 0) worker.unref();
    if ('error' in reply) waiting.reject(new Error(`preparing a batch failed: ${reply.error}`));
    else waiting.resolve(reply);
  });
  const fail = (error: Error) => {
    if (current === thread) current = undefined;
    for (const waiting of thread.waiting.values()) waiting.reject(error);
    thread.waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the batch preparation thread exited (code ${code})`)));
  return thread;
}

/** tsx's module-hooks API as an ES module (its CommonJS twin cannot register from a worker thread). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(manifest), exports['./esm/api']!.import.default);
}
