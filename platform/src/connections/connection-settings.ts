import type { Connector } from '@sourceline/sdk';
import type { PracticeCipher } from '../crypto/practice-keys.ts';
import { UserFacingError } from '../errors.ts';

const SETTINGS_FIELD = 'connection.settings';

/** Validates settings against the connector's schema; every problem is named by field, values never echoed. */
export function parseSettings(connector: Connector, input: unknown): Record<string, unknown> {
  const parsed = connector.settings.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
    const summary = problems.map((p) => `${p.path.join('.') || 'settings'}: ${p.message}`).join('; ');
    // `problems` lets a form put each message at its field; the message says the same for everyone else.
    throw new UserFacingError(`The ${connector.displayName} settings are not valid — ${summary}.`, 'BAD_USER_INPUT', { field: 'settings', problems });
  }
  return parsed.data as Record<string, unknown>;
}

/** Settings, secrets included, are stored only sealed with the practice's data key. */
export function sealSettings(cipher: PracticeCipher, settings: Record<string, unknown>): Buffer {
  return cipher.encrypt(SETTINGS_FIELD, JSON.stringify(settings));
}

export function openSettings(cipher: PracticeCipher, connector: Connector, sealed: Uint8Array): Record<string, unknown> {
  return parseSettings(connector, JSON.parse(cipher.decrypt(SETTINGS_FIELD, Buffer.from(sealed))));
}
