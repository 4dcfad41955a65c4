import { defineProject } from 'vitest/config';

// Streams run against the fake API over loopback, with injected 429/503s retried through back-off.
export default defineProject({
  test: { name: 'ga4', include: ['src/**/*.test.ts', 'fake/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000 },
});
