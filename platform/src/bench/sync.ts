import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchOnlyPass } from '@sourceline/connector-open-dental';
import { sealSettings } from '../connections/connection-settings.ts';
import { runSync } from '../connections/run-sync.ts';
import { withTenant } from '../db/tenant-transaction.ts';
import { startBenchPlatform } from './bench-platform.ts';
import { cpuSeconds, cpuSnapshot, describeCpu, type CpuGroups } from './cpu-usage.ts';

/**
 * `pnpm bench sync`: an initial sync of a large Open Dental office (50,000 patients, ~300,000 procedures) from the
 * simulator with no artificial latency, through the platform's sync engine into PostgreSQL, against a fetch-only pass
 * over the same pages in the same run. Target: sync wall time ≤ 2× fetch-only.
 */
export async function benchSync(args: string[]): Promise<void> {
  const patients = Number(args[0] ?? 50_000);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`generating a world of ${patients.toLocaleString('en-US')} patients and starting its Open Dental office…`);
  const office = fork(fileURLToPath(new URL('./simulator-process.ts', import.meta.url)), [String(patients)], { execArgv: ['--import', 'tsx'] });
  const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve, reject) => {
    office.once('message', (message) => resolve(message as { baseUrl: string }));
    office.once('error', reject);
  });
  const platform = await startBenchPlatform();
  try {
    const settings = { baseUrl, developerKey: 'sim-developer-key', customerKey: 'sim-customer-key', mode: 'service' as const, timeZone: 'America/Chicago', reconcileEveryHours: 24 };
    const connectionId = await withTenant(platform.db.prisma, { practiceIds: [platform.practiceId] }, async (tx) => {
      const cipher = await platform.keys.cipherFor(tx, platform.practiceId);
      return (await tx.connection.create({ data: { practiceId: platform.practiceId, connectorId: 'open-dental', displayName: 'OD', settingsSealed: new Uint8Array(sealSettings(cipher, settings)) } })).id;
    });
    // Warm both paths once (JIT, connection pools) on a cheap endpoint so neither measurement pays for start-up.
    await fetchOnlyPass(settings, ['providers']);
    // The sync's own process (its main thread and the thread that seals PHI), PostgreSQL, and the simulator serving
    // the pages: where the cores go decides how close to the fetch-only pass the sync can come.
    const cpuGroups: CpuGroups = { api: office.pid!, postmaster: Number(readFileSync(path.join(platform.postgresDataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) };
    const cpuBeforeFetch = cpuSnapshot(cpuGroups);
    const fetchOnly = await fetchOnlyPass(settings, ['patients/Simple', 'procedurelogs']);
    const records = Object.values(fetchOnly.rows).reduce((a, b) => a + b, 0);
    const cpuAtStart = cpuSnapshot(cpuGroups);
    const startedAt = performance.now();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const streamSeconds: string[] = [];
    const streamCpu: string[] = [];
    for (const stream of ['patients', 'procedures']) {
      const streamStart = performance.now();
      const cpuBefore = cpuSnapshot(cpuGroups);
      const outcome = await runSync(platform, { connectionId, practiceId: platform.practiceId, stream, trigger: 'manual' });
      if (outcome.status !== 'succeeded') throw new Error(`stream ${stream} failed: ${outcome.failure}`);
      streamSeconds.push(`${stream} ${((performance.now() - streamStart) / 1000).toFixed(2)} s`);
      const cpuAfter = cpuSnapshot(cpuGroups);
      if (cpuBefore && cpuAfter) streamCpu.push(`${stream} ${describeCpuTime(cpuSeconds(cpuBefore, cpuAfter))}`);
    }
    clearInterval(sampler);
    const syncMs = performance.now() - startedAt;
    const cpuAtEnd = cpuSnapshot(cpuGroups);
    out('');
    out(`records:          ${records.toLocaleString('en-US')} (${JSON.stringify(fetchOnly.rows)}) in ${fetchOnly.pages} pages of 1000`);
    out(`fetch-only pass:  ${(fetchOnly.elapsedMs / 1000).toFixed(2)} s  (${Math.round(records / (fetchOnly.elapsedMs / 1000)).toLocaleString('en-US')} records/s)`);
    out(`full sync:        ${(syncMs / 1000).toFixed(2)} s  (${Math.round(records / (syncMs / 1000)).toLocaleString('en-US')} records/s, encrypted, into PostgreSQL; ${streamSeconds.join(', ')})`);
    out(`ratio sync/fetch: ${(syncMs / fetchOnly.elapsedMs).toFixed(2)}×  (target ≤ 2×)`);
    out(`peak RSS:         ${Math.round(peakRss / 1_048_576)} MiB`);
    out(describeCpu(cpuAtStart, cpuAtEnd, availableParallelism(), { window: 'of the sync', api: 'the Open Dental simulator', workers: null, self: 'the sync (Node, with its sealing thread)' }));
    if (cpuBeforeFetch && cpuAtStart && cpuAtEnd) {
      // However the work is arranged, the sync cannot finish before its CPU time spread over every core: the ratio
      // this allows is the bench's floor on this machine, whatever the overlap.
      const fetchCpu = cpuSeconds(cpuBeforeFetch, cpuAtStart);
      const syncCpu = cpuSeconds(cpuAtStart, cpuAtEnd);
      const cores = availableParallelism();
      const floorSeconds = syncCpu.total / cores;
      out(`CPU time:         fetch-only ${fetchCpu.total.toFixed(1)} s (simulator ${fetchCpu.api.toFixed(1)}, fetching ${fetchCpu.self.toFixed(1)}); sync ${describeCpuTime(syncCpu)}; ${streamCpu.join('; ')}`);
      out(`floor here:       the sync's CPU time over ${cores} cores is ${floorSeconds.toFixed(2)} s, ${((floorSeconds * 1000) / fetchOnly.elapsedMs).toFixed(2)}× the fetch-only pass with perfect overlap`);
    }
  } finally {
    await platform.close();
    office.send('close');
  }
}

function describeCpuTime(cpu: ReturnType<typeof cpuSeconds>): string {
  return `${cpu.total.toFixed(1)} s (simulator ${cpu.api.toFixed(1)}, PostgreSQL ${cpu.postgres.toFixed(1)}, Node ${cpu.self.toFixed(1)})`;
}
