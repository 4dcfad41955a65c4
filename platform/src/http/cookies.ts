import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/sessions.ts';

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
  }
  return cookies;
}

function serialise(name: string, value: string, options: { httpOnly: boolean; secure: boolean; expires?: Date }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    'SameSite=Lax',
    options.httpOnly ? 'HttpOnly' : null,
    options.secure ? 'Secure' : null,
    options.expires ? `Expires=${options.expires.toUTCString()}` : null,
  ]
    .filter(Boolean)
    .join('; ');
}

/** The session cookie: script cannot read it, other sites cannot send it on a POST, and over TLS it stays on TLS. */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialise(SESSION_COOKIE, token, { httpOnly: true, secure, expires: expiresAt });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialise(SESSION_COOKIE, '', { httpOnly: true, secure, expires: new Date(0) });
}

/** The double-submit CSRF cookie: readable by our own script, which echoes it in the x-csrf-token header. */
export function csrfCookie(value: string, secure: boolean): string {
  return serialise(CSRF_COOKIE, value, { httpOnly: false, secure });
}
