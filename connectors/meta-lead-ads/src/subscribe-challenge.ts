import { constantTimeEqual } from '@sourceline/sdk';
import type { MetaLeadAdsSettings } from './settings.ts';

export type ChallengeAnswer = { status: 200; body: string } | { status: 400 | 403; body: string };

/**
 * Meta's webhook verification handshake (GET): `hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`. When the
 * token matches the connection's, answer 200 with the challenge as the plain-text body; otherwise 403. The platform's
 * GET handler calls this and sends what it returns; nothing is stored.
 */
export function answerSubscribeChallenge(
  query: URLSearchParams | Readonly<Record<string, string | undefined>>,
  settings: Pick<MetaLeadAdsSettings, 'verifyToken'>,
): ChallengeAnswer {
  const get = (name: string) => (query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query[name]);
  const mode = get('hub.mode');
  const token = get('hub.verify_token');
  const challenge = get('hub.challenge');
  if (mode !== 'subscribe' || challenge === undefined || !/^[\w-]{1,200}$/.test(challenge)) {
    return { status: 400, body: 'expected hub.mode=subscribe with a hub.challenge' };
  }
  if (token === undefined || !constantTimeEqual(token, settings.verifyToken)) return { status: 403, body: 'verify token mismatch' };
  return { status: 200, body: challenge };
}
