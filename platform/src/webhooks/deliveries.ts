/** The field name a delivery's raw body is sealed under (binds the ciphertext to its use). */
export const BODY_FIELD = 'webhook.body';
