import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line, wherever they sit in the logged object. PHI and secrets are kept out of
 * log calls in the first place (errors name record ids, not people); this is the second wall.
 */
export const REDACTED_KEYS = [
  'password', 'passwordHash', 'password_hash', 'token', 'tokenHash', 'secret', 'mfaSecret', 'code', 'cookie',
  'authorization', 'set-cookie', 'x-csrf-token', 'email', 'phone', 'name', 'firstName', 'lastName', 'first_name',
  'last_name', 'preferredName', 'birthdate', 'dateOfBirth', 'address', 'zip', 'body', 'rawBody', 'variables',
  'settings', 'masterKey', 'wrappedKey',
];

const paths = REDACTED_KEYS.flatMap((key) => {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string) => (safe.startsWith('[') ? `${prefix}${safe}` : `${prefix}.${safe}`);
  return [safe, join('*'), join('*.*'), join('req.headers'), join('err')];
});

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'sourceline' },
      redact: { paths, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
