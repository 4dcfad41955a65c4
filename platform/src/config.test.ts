import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('names a malformed variable and a rule across variables in one go', () => {
    const problems = problemsOf({ PORT: 'eighty', APP_DATABASE_URL: 'postgres://app@db/sourceline', NODE_ENV: 'production' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'APP_DATABASE_URL', 'SOURCELINE_MASTER_KEY']);
  });

  it('accepts an empty environment: every default', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, NODE_ENV: 'development', publicUrl: 'http://localhost:3000', secureCookies: false });
  });
});
