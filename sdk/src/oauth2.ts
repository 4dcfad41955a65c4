import { z } from 'zod';
import { FatalError, RetryableError } from './errors.ts';
import type { HttpClient } from './http/http-client.ts';

/** What an OAuth 2.0 refresh-token grant needs: Google's APIs (Ads, Business Profile, Analytics) all use one. */
export interface RefreshTokenGrant {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().optional(), token_type: z.string().optional() });
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * Exchanges a refresh token for an access token (RFC 6749 §6). A refused grant (`invalid_grant`, `invalid_client`) is
 * fatal with a message that says to reconnect; anything else the client could not classify is retryable.
 */
export async function refreshAccessToken(http: HttpClient, grant: RefreshTokenGrant, provider: string): Promise<string> {
  const response = await http.request({
    url: grant.tokenUrl,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'refresh_token', client_id: grant.clientId, client_secret: grant.clientSecret, refresh_token: grant.refreshToken,
    }).toString(),
    acceptStatuses: [400, 401, 403],
  });
  const body = safeJson(response.text);
  if (response.status >= 400) {
    const error = TokenError.safeParse(body);
    const code = error.success ? error.data.error : `HTTP ${response.status}`;
    throw new FatalError(`${provider} refused the OAuth credentials (${code}) — reconnect the account under Settings → Integrations`, { status: response.status });
  }
  const token = TokenResponse.safeParse(body);
  if (!token.success) throw new RetryableError(`${provider}'s token endpoint answered without an access token`);
  return token.data.access_token;
}

/** One access token per run: the first call fetches it, later calls reuse it (tokens live an hour; runs are shorter). */
export function accessTokenSource(http: HttpClient, grant: RefreshTokenGrant, provider: string): () => Promise<string> {
  let token: Promise<string> | undefined;
  return () => {
    token ??= refreshAccessToken(http, grant, provider).catch((error: unknown) => {
      token = undefined;
      throw error;
    });
    return token;
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
