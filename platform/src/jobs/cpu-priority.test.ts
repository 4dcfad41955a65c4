import { execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// In a child process: niceness cannot be taken back, and the test runner's own must stay as it is.
const inChild = (script: string, env: Record<string, string> = {}) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      encoding: 'utf8',
      env: { ...process.env, ...env },
    }),
  );

/** The same, started asynchronously with spawn's options (its own session, another user): what it prints, as JSON. */
const inSpawnedChild = <T>(script: string, options: SpawnOptions) =>
  new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      ...options,
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    // 'close', not 'exit': a child's output may still be unread when it exits.
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`the child exited with ${code}, printing ${JSON.stringify(out)}`));
      }
    });
  });

it('lowers the process, every thread of it, to the niceness asked for, and never raises it back', () => {
  const seen = inChild(`
    import { readdirSync, readFileSync } from 'node:fs';
    import { getPriority } from 'node:os';
    import { lowerCpuPriority } from './cpu-priority.ts';
    const start = getPriority();
    const target = Math.min(start + 5, 19);
    const first = lowerCpuPriority(target);
    const afterFirst = getPriority();
    const second = lowerCpuPriority(Math.min(start + 2, 19));
    // Field 19 of a thread's stat is its niceness (after the command name, which may hold spaces).
    const threads = readdirSync('/proc/self/task').map((t) => Number(readFileSync('/proc/self/task/' + t + '/stat', 'utf8').split(') ')[1].split(' ')[16]));
    console.log(JSON.stringify({ target, first, afterFirst, second, afterSecond: getPriority(), threads }));`);
  expect(seen.first).toEqual({ niceness: seen.target });
  expect(seen.afterFirst).toBe(seen.target);
  expect(seen.second).toEqual({ niceness: seen.target });
  expect(seen.afterSecond).toBe(seen.target);
  expect(seen.threads.length).toBeGreaterThan(1);
  expect(new Set(seen.threads)).toEqual(new Set([seen.target]));
});

it('lowers `sourceline worker` before the CLI loads the application, and no other command', () => {
  const niceAfterLoading = (command: string) =>
    inChild(
      `import { getPriority } from 'node:os';
       const before = getPriority();
       process.argv = [process.execPath, 'main.ts', '${command}'];
       await import('../cli/worker-priority-first.ts');
       console.log(JSON.stringify(getPriority() - before));`,
      { WORKER_NICE: '19' },
    );
  expect(niceAfterLoading('worker')).toBeGreaterThan(0);
  expect(niceAfterLoading('start')).toBe(0);
});

// A service manager starts each service in a session of its own; a terminal's jobs share the terminal's.
// The file is missing without autogroup scheduling, and empty for a process in no autogroup.
const inAutogroup = existsSync('/proc/self/autogroup') && readFileSync('/proc/self/autogroup', 'utf8').includes(' nice ');
it.runIf(inAutogroup)('lowers its session’s scheduling group only when it leads the session', async () => {
  const autogroupAfterLowering = (detached: boolean) =>
    inSpawnedChild<{ before: number; after: number }>(
      `import { readFileSync } from 'node:fs';
       import { lowerCpuPriority } from './cpu-priority.ts';
       const nice = () => Number(/ nice (-?\\d+)/.exec(readFileSync('/proc/self/autogroup', 'utf8'))[1]);
       const before = nice();
       lowerCpuPriority(Math.min(before + 4, 19));
       console.log(JSON.stringify({ before, after: nice() }));`,
      { detached },
    );
  const leader = await autogroupAfterLowering(true);
  expect(leader.after).toBe(Math.min(leader.before + 4, 19));
  const member = await autogroupAfterLowering(false);
  expect(member.after).toBe(member.before);
});

// As root (CI, this machine) the test can run a child as an unprivileged user, whom the kernel allows one autogroup
// write every 100 ms across the whole system: the worker's pools open several connections at once.
const canRunAsNobody = process.getuid?.() === 0 && spawnSync('true', { uid: 65534, gid: 65534 }).status === 0;
it.runIf(inAutogroup && canRunAsNobody)('lowers its backends’ groups one after another where the kernel allows one change per 100 ms', async () => {
  const seen = await inSpawnedChild<{ results: unknown[]; self: number; backends: number[] }>(
    `import { spawn } from 'node:child_process';
     import { readFileSync } from 'node:fs';
     import { setTimeout as sleep } from 'node:timers/promises';
     import { lowerBackendPriority, lowerCpuPriority } from './cpu-priority.ts';
     const nice = (pid) => Number(/ nice (-?\\d+)/.exec(readFileSync('/proc/' + pid + '/autogroup', 'utf8'))[1]);
     // Stand-ins for two backends: processes in sessions of their own, titled as PostgreSQL titles its backends.
     const backends = [40001, 40002].map((port) =>
       spawn('bash', ['-c', 'exec -a "postgres: sourceline_app app 127.0.0.1(' + port + ') idle" sleep 30'], { detached: true, stdio: 'ignore' }));
     while (backends.some((b) => !readFileSync('/proc/' + b.pid + '/cmdline', 'utf8').startsWith('postgres: '))) await sleep(10);
     lowerCpuPriority(6);
     const results = backends.map((b, i) => lowerBackendPriority({ pid: b.pid, clientPort: 40001 + i }, 6));
     for (let waited = 0; waited < 3000 && backends.some((b) => nice(b.pid) !== 6); waited += 50) await sleep(50);
     console.log(JSON.stringify({ results, self: nice('self'), backends: backends.map((b) => nice(b.pid)) }));
     for (const b of backends) b.kill();`,
    { detached: true, uid: 65534, gid: 65534, env: { ...process.env, HOME: tmpdir() } },
  );
  expect(seen.results).toEqual([{ niceness: 6 }, { niceness: 6 }]);
  expect(seen).toMatchObject({ self: 6, backends: [6, 6] });
});
