import { UserFacingError } from '../errors.ts';

export function cleanName(value: string, field: string): string {
  const name = value.trim().replace(/\s+/g, ' ');
  if (name.length < 1 || name.length > 200) {
    throw new UserFacingError(`The ${field} must be 1–200 characters.`, 'BAD_USER_INPUT', { field });
  }
  return name;
}

export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new UserFacingError(`"${timeZone}" is not an IANA time zone (e.g. America/Chicago).`, 'BAD_USER_INPUT', { field: 'timeZone' });
  }
}

export function checkAreaCode(areaCode: string | null | undefined): string | null {
  if (!areaCode) return null;
  if (!/^[2-9]\d{2}$/.test(areaCode)) {
    throw new UserFacingError('The area code must be three digits, not starting with 0 or 1.', 'BAD_USER_INPUT', { field: 'areaCode' });
  }
  return areaCode;
}
