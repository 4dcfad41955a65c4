import { hmacDigest, verifyHmacSignature } from '@sourceline/sdk';

/** Meta signs every webhook POST: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>`. */
export function verifyMetaSignature(headers: Readonly<Record<string, string>>, body: string | Uint8Array, appSecret: string): boolean {
  return verifyHmacSignature({ given: headers['x-hub-signature-256'], body, key: appSecret, algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' });
}

export function signMetaBody(body: string, appSecret: string): string {
  return `sha256=${hmacDigest('sha256', appSecret, body, 'hex')}`;
}
