import type { Command } from 'commander';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('encryption keys');
  keys
    .command('rotate')
    .description(
      're-wrap every data key under the current master key. With SOURCELINE_MASTER_KEY, set the new key there and the old one in ' +
        'SOURCELINE_PREVIOUS_MASTER_KEYS first; in the embedded default, --new-master-key generates the new key itself.',
    )
    .option('--new-master-key', 'embedded default only: generate a new .data/master.key and retire the old one')
    .option('--new-data-keys', 'also give every practice a new data key version for values written from now on')
    .action(async (options: { newMasterKey?: boolean; newDataKeys?: boolean }) => (await import('../actions/keys.ts')).runRotate(options));
}
