import { createRequire } from 'node:module';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineProject({
  // graphql ships CommonJS and ESM builds; Pothos and graphql-yoga must see the same copy as our schema, so every
  // import is pinned to the CommonJS entry that Node itself resolves at run time.
  resolve: { alias: { graphql: require.resolve('graphql') } },
  test: {
    name: 'platform',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
