import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'gravity-forms', include: ['src/**/*.test.ts', 'fake/**/*.test.ts', 'test/**/*.test.ts'] },
});
