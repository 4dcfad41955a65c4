import { bootPlatform } from '../boot.ts';
import { ConfigError, loadConfig } from '../config.ts';
import type { Platform } from '../platform.ts';
import { UsageError } from './usage-error.ts';

/** Loads configuration (a bad variable is a usage error: exit 2), boots the platform, runs `fn`, then shuts down. */
export async function runWithPlatform<T>(fn: (platform: Platform) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const platform = await bootPlatform(loadCliConfig(), { migrate: options.migrate ?? true });
  try {
    return await fn(platform);
  } finally {
    await platform.db.close();
  }
}

export function loadCliConfig() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
