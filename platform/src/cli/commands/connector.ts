import type { Command } from 'commander';

export interface ParseFlags {
  settings?: string;
  timeZone?: string;
}

export interface NewFlags {
  kind: string;
  dir: string;
  standalone?: boolean;
}

export interface SimulatorFlags {
  port: string;
  host: string;
  seed: string;
  patients: string;
  months: string;
  mode: string;
  faults?: boolean;
  throttle: string;
  skewMinutes: string;
}

/**
 * `sourceline connector …` (list, parse, new) and `sourceline simulator open-dental`: the tools a connector author
 * and support use without a database.
 */
export function registerConnectorCommand(program: Command): void {
  const connector = program.command('connector').description('inspect, test and scaffold connectors');

  connector
    .command('list')
    .description('list installed connectors, their streams and webhooks')
    .action(async () => (await import('../actions/connector.ts')).runList());

  connector
    .command('parse')
    .description('run a connector’s parser on a saved API response or webhook body (no network, no database) and print canonical records as JSON')
    .argument('<connector>', 'connector id, e.g. open-dental')
    .argument('<stream-or-webhook>', 'stream or webhook name, e.g. procedures')
    .argument('<file>', 'the saved response or body')
    .option('--settings <json>', 'settings the parser may need, as JSON (secrets are not needed)')
    .option('--time-zone <zone>', 'the practice’s IANA time zone (shorthand for --settings {"timeZone":…})')
    .action(async (id: string, name: string, file: string, flags: ParseFlags) => (await import('../actions/connector.ts')).runParse(id, name, file, flags));

  connector
    .command('new')
    .description('scaffold a new connector package with settings, a stream, a fixture and test-kit tests')
    .argument('<name>', 'kebab-case connector id, e.g. acme-leads')
    .option('--kind <kind>', 'pms or lead-source', 'lead-source')
    .option('--dir <dir>', 'where connector packages live', 'connectors')
    .option('--standalone', 'a package outside this repository, depending on the published SDK (the default when --dir is outside it)')
    .action(async (name: string, flags: NewFlags) => (await import('../actions/connector.ts')).runNew(name, flags));

  const simulator = program.command('simulator').description('run a source simulator for demos, tests and benchmarks');
  simulator
    .command('open-dental')
    .description('serve a seeded Open Dental office over HTTP (the real API’s paging, auth, quirks and, with --faults, its failures)')
    .option('--port <port>', 'port to listen on (0 picks one)', '8089')
    .option('--host <host>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--seed <seed>', 'demo-world seed: same seed, same office', '1')
    .option('--patients <n>', 'patients in the office', '2000')
    .option('--months <n>', 'months of history', '12')
    .option('--mode <mode>', 'remote (100-row pages) or service (1000-row pages)', 'remote')
    .option('--faults', '429 with Retry-After, intermittent 500s, slow pages, rows changing while paging, clock skew')
    .option('--throttle <mode>', 'off, hold or reject (Remote per-key throttling)', 'off')
    .option('--skew-minutes <n>', 'office clock minus ours, in minutes (default 7 behind with --faults)', '')
    .action(async (flags: SimulatorFlags) => (await import('../actions/connector.ts')).runSimulator(flags));
}

