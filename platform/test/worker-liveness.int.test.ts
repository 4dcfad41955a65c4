import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverStaleWorkers } from '../src/jobs/worker-liveness.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

/** A job locked an hour ago by `pool`, whose last heartbeat (if any) is as old. */
async function lockedJob(pool: string, heartbeat: boolean): Promise<string> {
  const job = await platform.jobs.addJob('deliver_outbox', {}, { jobKey: `liveness-${pool}` });
  await platform.db.owner.query(`UPDATE graphile_worker._private_jobs SET locked_by = $1, locked_at = now() - interval '1 hour', attempts = 1 WHERE id = $2`, [pool, job.id]);
  if (heartbeat) {
    await platform.db.owner.query(
      `INSERT INTO sourceline_meta.worker_heartbeats (worker_id, hostname, pid, heartbeat_at) VALUES ($1, 'test', 1, now() - interval '1 hour')`,
      [pool],
    );
  }
  return job.id;
}

const lockOf = async (id: string) =>
  (await platform.db.owner.query<{ locked_by: string | null }>('SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1', [id])).rows[0]!.locked_by;

describe('releasing the jobs of workers that stopped', () => {
  it('frees a silent pool’s jobs and a heartbeat-less lock, never those of the pools the caller runs itself', async () => {
    const dead = await lockedJob('pool-dead', true);
    const neverBeat = await lockedJob('pool-never-beat', false);
    // The caller's own pool: its heartbeat is as late (a long synchronous job held the event loop), but it is alive.
    const mine = await lockedJob('pool-mine', true);
    const freed = await recoverStaleWorkers(platform.db.owner, platform.jobs, 10, ['pool-mine']);
    expect(freed.sort()).toEqual(['pool-dead', 'pool-never-beat']);
    expect([await lockOf(dead), await lockOf(neverBeat), await lockOf(mine)]).toEqual([null, null, 'pool-mine']);
    // Another process, which does not run it, takes the silent pool for dead.
    expect(await recoverStaleWorkers(platform.db.owner, platform.jobs, 10, ['pool-other'])).toEqual(['pool-mine']);
    expect(await lockOf(mine)).toBeNull();
  });
});
