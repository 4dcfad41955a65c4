import type { NextFunction, Request, Response } from 'express';
import { CSRF_COOKIE, CSRF_HEADER } from '../auth/sessions.ts';
import { newSecret, sameSecret } from '../auth/secrets.ts';
import { csrfCookie, parseCookies } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Gives every browser a CSRF cookie (double-submit pattern) the first time it comes by. */
export function issueCsrfCookie(secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!parseCookies(req.headers.cookie).get(CSRF_COOKIE)) res.append('Set-Cookie', csrfCookie(newSecret(18), secure));
    next();
  };
}

/**
 * State-changing requests that ride on cookies must echo the CSRF cookie in a header, which another site's page cannot
 * read and so cannot forge. Requests authenticated with a bearer API token carry no ambient credential and are exempt.
 */
export function requireCsrfToken(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method) || /^Bearer\s/i.test(req.headers.authorization ?? '')) return next();
  const cookie = parseCookies(req.headers.cookie).get(CSRF_COOKIE) ?? '';
  const header = String(req.headers[CSRF_HEADER] ?? '');
  if (cookie && header && sameSecret(cookie, header)) return next();
  res.status(403).json({
    errors: [{ message: `Missing or mismatched ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie.`, extensions: { code: 'CSRF' } }],
  });
}
