import { defineProject } from 'vitest/config';

// Tests talk to the real simulator over loopback; a few exercise retry back-off, hence the longer timeout.
export default defineProject({
  test: { name: 'open-dental', include: ['src/**/*.test.ts', 'simulator/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
});
