import { hash, verify } from '@node-rs/argon2';
import { UserFacingError } from '../errors.ts';

// OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane); @node-rs/argon2 defaults to the argon2id variant.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UserFacingError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`, 'BAD_USER_INPUT', { field: 'password' });
  }
  if (password.length > 256) {
    throw new UserFacingError('Choose a password of at most 256 characters.', 'BAD_USER_INPUT', { field: 'password' });
  }
  if (new Set(password).size < 5) {
    throw new UserFacingError('That password repeats too few characters; choose a less predictable one.', 'BAD_USER_INPUT', { field: 'password' });
  }
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this when an account does not exist keeps the response time the same, so timing cannot reveal
// which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hash('no account has this password', OPTIONS);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
