import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts `sourceline …` as a user would (through tsx), with only the given environment on top of PATH. */
export function spawnCli(args: string[], env: Record<string, string> = {}, options: { ownProcessGroup?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'platform/src/cli/main.ts'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
    // As a terminal runs a command: in a process group of its own, which a Ctrl-C reaches whole.
    detached: options.ownProcessGroup ?? false,
  });
}

/** Runs `sourceline …` to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
