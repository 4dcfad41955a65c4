import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'eaglesoft', include: ['src/**/*.test.ts'] } });
