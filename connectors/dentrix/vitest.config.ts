import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'dentrix', include: ['src/**/*.test.ts'] } });
