import type { Command } from 'commander';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the whole product in one process: API, background worker and web app on one port')
    .action(async () => (await import('../actions/start.ts')).runStart());
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run only the background worker (syncs, mail, schedules); scale out by running more of these')
    .action(async () => (await import('../actions/start.ts')).runWorker());
}
