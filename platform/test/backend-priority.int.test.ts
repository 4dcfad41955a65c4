import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import type { Database } from '../src/db/database.ts';
import { lowerBackendPriority } from '../src/jobs/cpu-priority.ts';
import { createTestDatabase } from './database.ts';

// `sourceline worker` lowers the PostgreSQL backends of its connections as it lowers itself, where they run here.
const refusals: string[] = [];
let lowered: Database;
let plain: Database;
beforeAll(async () => {
  lowered = await createTestDatabase({ backendPriority: { niceness: 7, onRefused: (reason) => refusals.push(reason) } });
  plain = await createTestDatabase();
});
afterAll(async () => {
  await lowered.close();
  await plain.close();
});

/** A process's niceness: field 19 of its stat, after the command name (which may hold spaces). */
const statOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
const nicenessOf = (pid: number) => Number(statOf(pid)[16]);
/** What a backend had before anyone lowered it: its postmaster's niceness. */
const postmasterNicenessOf = (pid: number) => nicenessOf(Number(statOf(pid)[1]));
// Kernels built without autogroup scheduling have no such file; niceness alone then decides.
const autogroups = existsSync('/proc/self/autogroup');
const autogroupNicenessOf = (pid: number) => (autogroups ? Number(/ nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, 'utf8'))![1]) : null);

async function backendOf(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  } finally {
    client.release();
  }
}

describe('the CPU priority of a process’s PostgreSQL backends', () => {
  it('is lowered, with their session’s scheduling group, for both pools of a process that asks', async () => {
    for (const pool of [lowered.app, lowered.owner]) {
      const pid = await backendOf(pool);
      expect(nicenessOf(pid)).toBe(Math.max(7, postmasterNicenessOf(pid)));
      if (autogroups) expect(autogroupNicenessOf(pid)).toBe(7);
    }
    expect(refusals).toEqual([]);
  });

  it('is left alone for a process that does not ask (the API)', async () => {
    const pid = await backendOf(plain.app);
    expect(nicenessOf(pid)).toBe(postmasterNicenessOf(pid));
    if (autogroups) expect(autogroupNicenessOf(pid)).toBe(0);
  });

  it('is only changed for a pid that /proc shows serving this very connection', async () => {
    const client = await plain.app.connect();
    try {
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const ours = nicenessOf(process.pid);
      expect(lowerBackendPriority({ pid, clientPort: 1 }, 9)).toBeNull();
      expect(lowerBackendPriority({ pid: process.pid, clientPort: 1 }, 9)).toBeNull();
      expect(lowerBackendPriority({ pid: 2 ** 22 + 1, clientPort: 1 }, 9)).toBeNull();
      expect(nicenessOf(pid)).toBe(postmasterNicenessOf(pid));
      expect(nicenessOf(process.pid)).toBe(ours);
    } finally {
      client.release();
    }
  });
});
