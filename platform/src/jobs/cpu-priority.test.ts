import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
// The file is missing without autogroup scheduling, and empty for a process its CPU cgroup schedules instead.
const inAutogroup = existsSync('/proc/self/autogroup') && readFileSync('/proc/self/autogroup', 'utf8').includes(' nice ');
it.runIf(inAutogroup)('lowers its session’s scheduling group only when it leads the session', async () => {
  const autogroupAfterLowering = (detached: boolean) =>
    new Promise<{ before: number; after: number }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', `
          import { readFileSync } from 'node:fs';
          import { lowerCpuPriority } from './cpu-priority.ts';
          const nice = () => Number(/ nice (-?\\d+)/.exec(readFileSync('/proc/self/autogroup', 'utf8'))[1]);
          const before = nice();
          lowerCpuPriority(Math.min(before + 4, 19));
          console.log(JSON.stringify({ before, after: nice() }));`],
        { cwd: fileURLToPath(new URL('.', import.meta.url)), detached, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
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
  const leader = await autogroupAfterLowering(true);
  expect(leader.after).toBe(Math.min(leader.before + 4, 19));
  const member = await autogroupAfterLowering(false);
  expect(member.after).toBe(member.before);
});
