import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { withSystem } from '../db/tenant-transaction.ts';
import { freePort } from '../http/free-port.ts';
import { preallocateWal, startBenchPlatform, type BenchPlatform } from './bench-platform.ts';
import { resetStatementStats, STATEMENT_STATS_SETTINGS, statementStatsWanted, topStatements } from './statement-stats.ts';
import { post, startCli, waitForHealth } from './child-server.ts';
import { cpuSnapshot, describeCpu, type CpuGroups } from './cpu-usage.ts';
import { createWebhookSenders, type WebhookSender } from './webhook-senders.ts';

/**
 * `pnpm bench ingest [seconds] [rate]`: mixed signed webhooks (Gravity Forms entries, CallRail calls) at a fixed rate
 * against the real server on loopback, with the worker killed (SIGKILL) and restarted mid-run. Prints ack latency
 * p50/p99, accepted vs stored vs leads (nothing lost, nothing doubled), and the server's maximum throughput against a
 * bare Node http server on the same machine. Target: p99 ≤ 25 ms.
 */
export async function benchIngest(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 60);
  const rate = Number(args[1] ?? 200);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const statementStats = statementStatsWanted();
  const platform = await startBenchPlatform({ settings: statementStats ? STATEMENT_STATS_SETTINGS : {} });
  const children: ChildProcess[] = [];
  try {
    // The WAL of the warm-up and the run, at about 9 KB a lead (16 KB counted), in segments recycled beforehand.
    const { segments } = await preallocateWal(platform.db.owner, (seconds + WARM_UP_SECONDS) * rate * 16_384);
    out(`${segments} WAL segments ready, as a running server's checkpoints leave them`);
    const senders = await createWebhookSenders(platform, platform.practiceId);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // Ten seconds, not the default 45: the killed worker's jobs come back quickly enough to measure. Not less: with
    // two seconds, a live worker whose heartbeat waited behind a long matching run on the saturated cores was taken
    // for dead over and over, its jobs released and taken again until they ran out of attempts.
    const env = { ...platform.childEnv, PORT: String(port), START_WORKER: 'false', WORKER_STALE_SECONDS: '10' };
    const api = startCli(['start'], env);
    children.push(api);
    await waitForHealth(base);
    let worker = startCli(['worker'], env);
    children.push(worker);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const send = (n: number) => {
      const sender = senders[n % senders.length]!;
      return post(`${base}${sender.url}`, sender.body(n), agent);
    };
    // Warm up, unmeasured, at the measured rate: the worker's start (loading TypeScript takes seconds of CPU), the
    // server's JIT and its pool's connections (each a backend to start, authenticate and fill its caches) would
    // otherwise count as the first seconds' latency, as they would not for a server that has been taking this load.
    out(`warming up at ${rate}/s for ${WARM_UP_SECONDS} s…`);
    let refusedWarmUp = 0;
    const warmed = await sendAtRate(rate, WARM_UP_SECONDS, (n) => send(10_000_000 + n), (status) => {
      if (status !== 200) refusedWarmUp += 1;
    });
    if (refusedWarmUp) throw new Error(`${refusedWarmUp} warm-up webhooks were refused`);

    if (statementStats) await resetStatementStats(platform.db.owner);
    out(`sending ${rate} webhooks/s for ${seconds} s (Gravity Forms and CallRail, signed), killing the worker at ${Math.round(seconds * 0.4)} s…`);
    const latencies: number[] = [];
    /** Each request's latency by the 10-second window it was due in: where in the run the slow ones were. */
    const windows: number[][] = [];
    const statuses = new Map<number, number>();
    const sent: string[] = [];
    const cpuGroups: CpuGroups = { api: api.pid!, postmaster: Number(readFileSync(path.join(platform.postgresDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) };
    const cpuAtStart = cpuSnapshot(cpuGroups);
    const started = performance.now();
    let killed = false;
    const n = await sendAtRate(rate, seconds, send, (status, latency, dueMs, id) => {
      latencies.push(latency);
      (windows[Math.floor(dueMs / 10_000)] ??= []).push(latency);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) sent.push(String(id));
    }, (elapsedMs) => {
      if (killed || elapsedMs < seconds * 400) return;
      killed = true;
      worker.kill('SIGKILL');
      // Restarted beside the sending loop, which must keep its pace while the worker is down.
      void sleep(2_500).then(() => {
        worker = startCli(['worker'], env);
        children.push(worker);
      });
    });
    const elapsed = (performance.now() - started) / 1000;
    const cpuAtEnd = cpuSnapshot(cpuGroups);

    out('waiting for the worker to process every delivery…');
    const deadline = Date.now() + 180_000;
    let pending = Infinity;
    while (pending > 0 && Date.now() < deadline) {
      pending = await count(platform, `SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'received'`);
      if (pending > 0) await sleep(500);
    }
    if (pending > 0) {
      const jobs = await platform.db.owner.query(
        `SELECT task_identifier, locked_by IS NOT NULL AS locked, attempts, max_attempts, left(last_error, 200) AS last_error FROM graphile_worker.jobs`,
      );
      out(`jobs still queued: ${JSON.stringify(jobs.rows)}`);
    }
    if (statementStats) {
      out('statements by PostgreSQL time, from the first webhook sent until every delivery was processed:');
      for (const line of await topStatements(platform.db.owner, 15)) out(`  ${line}`);
    }
    const stored = await count(platform, 'SELECT count(*)::int AS n FROM webhook_deliveries');
    const leads = await count(platform, 'SELECT count(*)::int AS n FROM leads');
    const distinct = await count(platform, 'SELECT count(DISTINCT (connection_id, source_id))::int AS n FROM leads');
    latencies.sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;

    out('');
    out(`requests:   ${n} in ${elapsed.toFixed(1)} s (${(n / elapsed).toFixed(0)}/s); statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    out(`ack latency: p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms  (target p99 ≤ 25 ms)`);
    const p99Of = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(0.99 * xs.length)] ?? NaN;
    out(`ack p99 by 10 s window: ${windows.map((w, i) => `${i * 10}s ${p99Of(w).toFixed(0)}`).join(', ')} ms (the worker was killed at ${Math.round(seconds * 0.4)} s)`);
    out(describeCpu(cpuAtStart, cpuAtEnd, availableParallelism()));
    const acknowledged = sent.length + warmed;
    out(`accepted ${sent.length} (+${warmed} warming up), stored ${stored}, processed into ${leads} leads (${distinct} distinct), still waiting ${pending}`);
    out(`lost: ${acknowledged - stored} acknowledged but not stored, ${pending === 0 ? acknowledged - leads : 'n/a (processing unfinished)'} stored but not turned into leads; duplicated: ${leads - distinct}  (worker killed with SIGKILL mid-run and restarted)`);

    const sourceline = await maxThroughput(`${base}${senders[0]!.url}`, senders[0]!, 10, agent);
    const bareServer = fork(fileURLToPath(new URL('./bare-http-server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    children.push(bareServer);
    const barePort = await new Promise<number>((resolve) => bareServer.once('message', (m) => resolve((m as { port: number }).port)));
    const bare = await maxThroughput(`http://127.0.0.1:${barePort}/`, senders[0]!, 10, agent);
    out(`max throughput (10 s, 32 concurrent): Sourceline ${sourceline.toFixed(0)}/s, bare Node http ${bare.toFixed(0)}/s, ratio ${(sourceline / bare).toFixed(2)}`);
    agent.destroy();
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(1_000);
    await platform.close();
  }
}

const WARM_UP_SECONDS = 8;

/**
 * Open loop: request n is due (n + 1) / rate s after the start and sent once due, whatever the answers before it;
 * its latency counts from when it was due, so a sender that fell behind is not flattered (no coordinated omission).
 * `onTick` hears the elapsed milliseconds between rounds. Resolves with the number sent, once every one is answered.
 */
async function sendAtRate(
  rate: number,
  seconds: number,
  send: (n: number) => Promise<number>,
  onAnswer: (status: number, latency: number, dueMs: number, n: number) => void,
  onTick?: (elapsedMs: number) => void,
): Promise<number> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; n < due; n += 1) {
      const id = n;
      const dueMs = ((n + 1) / rate) * 1000;
      const p = send(id)
        .then((status) => onAnswer(status, performance.now() - started - dueMs, dueMs, id))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    onTick?.(performance.now() - started);
    await sleep(2);
  }
  await Promise.all(inFlight);
  return n;
}

async function count(platform: BenchPlatform, sql: string): Promise<number> {
  return withSystem(platform.db.owner, async (c) => (await c.query<{ n: number }>(sql)).rows[0]!.n);
}

/** Closed loop: 32 clients each sending the next request as soon as the previous is answered. */
async function maxThroughput(url: string, sender: WebhookSender, seconds: number, agent: http.Agent): Promise<number> {
  let done = 0;
  let n = 1_000_000;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) {
        await post(url, sender.body(n++), agent);
        done += 1;
      }
    }),
  );
  return done / seconds;
}
