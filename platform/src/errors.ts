import { GraphQLError } from 'graphql';

/**
 * An error whose message is written for the person using Sourceline and is safe to show them: it names what was wrong
 * and what to do, never a patient. Every other error is masked as "Unexpected error." at the API edge and logged.
 */
export class UserFacingError extends GraphQLError {
  constructor(message: string, code: UserFacingErrorCode, details: Record<string, string | number | readonly unknown[]> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

export type UserFacingErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'MFA_REQUIRED'
  | 'MFA_ENROLLMENT_REQUIRED'
  | 'TOO_MANY_ATTEMPTS'
  | 'CONFLICT';
