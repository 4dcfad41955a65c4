import { defineConfig } from 'vitest/config';

// One vitest run covers every package; the platform project owns the embedded PostgreSQL global setup.
export default defineConfig({
  test: {
    projects: ['platform', 'sdk', 'connectors/*'],
  },
});
