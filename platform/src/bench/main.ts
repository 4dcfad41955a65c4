import { benchAttribution } from './attribution.ts';
import { benchIngest } from './ingest.ts';
import { benchMatch } from './match.ts';
import { benchSoak } from './soak.ts';
import { benchSync } from './sync.ts';
import { benchWeb } from './web.ts';

const benches: Record<string, (args: string[]) => Promise<void>> = {
  match: () => benchMatch(),
  sync: benchSync,
  ingest: benchIngest,
  web: () => benchWeb(),
  attribution: benchAttribution,
  soak: benchSoak,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? benches[name] : undefined;
if (!bench) {
  process.stderr.write(`usage: pnpm bench <${Object.keys(benches).join('|')}> [args]\n`);
  process.exit(2);
}
await bench(args);
process.exit(0);
