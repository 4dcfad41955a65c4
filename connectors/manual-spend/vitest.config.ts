import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'manual-spend', include: ['src/**/*.test.ts'] } });
