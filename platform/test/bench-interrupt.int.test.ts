import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const benchDirs = () => (existsSync(path.join(root, '.data')) ? readdirSync(path.join(root, '.data')).filter((name) => name.startsWith('bench-')) : []);

/** Processes started with this data directory: the bench's server and worker, in sessions of their own. */
function processesOf(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`DATA_DIR=${dataDir}`);
      } catch {
        return false; // Gone meanwhile, or not ours to read.
      }
    })
    .map(Number);
}

it('stopped with Ctrl-C, a bench stops its server, worker and cluster and removes its data directory', async () => {
  const before = new Set(benchDirs());
  const bench = spawn(process.execPath, ['--import', 'tsx', 'platform/src/bench/main.ts', 'ingest', '20', '50'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => bench.on('exit', (code, signal) => resolve({ code, signal })));
  let out = '';
  bench.stdout.on('data', (chunk) => (out += chunk));
  for (let waited = 0; !out.includes('warming up') && waited < 90_000; waited += 100) await sleep(100);
  expect(out).toContain('warming up');

  const dataDir = path.join(root, '.data', benchDirs().find((name) => !before.has(name))!);
  const postmaster = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  expect(processesOf(dataDir).length).toBeGreaterThanOrEqual(2);

  bench.kill('SIGINT');
  expect(await exited).toEqual({ code: 130, signal: null });
  for (let waited = 0; processesOf(dataDir).length > 0 && waited < 10_000; waited += 100) await sleep(100);
  expect(processesOf(dataDir)).toEqual([]);
  expect(existsSync(`/proc/${postmaster}`)).toBe(false);
  expect(existsSync(dataDir)).toBe(false);
}, 120_000);
