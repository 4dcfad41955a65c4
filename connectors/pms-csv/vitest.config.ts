import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'pms-csv', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } });
