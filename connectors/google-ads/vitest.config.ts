import { defineProject } from 'vitest/config';

// Streams run against the fake API over loopback, a day per request for click_view.
export default defineProject({
  test: { name: 'google-ads', include: ['src/**/*.test.ts', 'fake/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
});
