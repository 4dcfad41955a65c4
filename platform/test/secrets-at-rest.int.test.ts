import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgencyWithPractices, createUser, globalId, PASSWORD, signIn } from './fixtures.ts';
import { GraphQLClient } from './graphql-client.ts';
import { dumpAllTables } from './dump.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
const seen: string[] = [];

/**
 * Drives the API through sign-in, failures, MFA, invitations, resets and tokens, collecting every secret it hands
 * out; then no secret may appear in any table or any log line.
 */
beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await createAgencyWithPractices(platform, 'Leak Agency', ['Leak Dental']);
  const admin = await createUser(platform, { agencies: [[tenant.agencyId, 'admin']] });
  const client = await signIn(platform, admin.email);
  seen.push(PASSWORD, client.cookie('sl_session')!);
  await new GraphQLClient(platform.url).error('mutation($e: String!) { login(email: $e, password: "a wrong guess 1234") }', { e: admin.email });
  seen.push('a wrong guess 1234');
  const { startMfaEnrollment } = await client.data<{ startMfaEnrollment: { secret: string } }>('mutation { startMfaEnrollment { secret } }');
  seen.push(startMfaEnrollment.secret);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(startMfaEnrollment.secret) }).generate();
  const { confirmMfaEnrollment } = await client.data<{ confirmMfaEnrollment: string[] }>('mutation($c: String!) { confirmMfaEnrollment(code: $c) }', { c: code });
  seen.push(...confirmMfaEnrollment);
  const { createApiToken } = await client.data<{ createApiToken: { secret: string } }>(
    'mutation($p: ID!) { createApiToken(name: "bi", role: VIEWER, practiceIds: [$p]) { secret } }',
    { p: globalId('Practice', tenant.practiceIds[0]!) },
  );
  seen.push(createApiToken.secret);
  await client.data('mutation($p: ID!) { createInvitation(email: "leak-invitee@example.test", role: VIEWER, practiceId: $p) { id } }', {
    p: globalId('Practice', tenant.practiceIds[0]!),
  });
  await client.data('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: admin.email });
  await client.data('mutation { changePassword(currentPassword: "correct horse battery staple", newPassword: "fresh secret phrase 99") }');
  seen.push('fresh secret phrase 99');
});
afterAll(() => platform.close());

describe('secrets at rest and in logs', () => {
  it('keeps every handed-out secret out of a full dump of the database', async () => {
    const dump = await dumpAllTables(platform.db.owner);
    expect(dump).toContain('leak-invitee@example.test');
    expect(seen.filter((secret) => dump.includes(secret))).toEqual([]);
    // One-time links live only inside sealed outbox bodies.
    expect(dump).not.toMatch(/invitations\/[A-Za-z0-9_-]{20}/);
    expect(dump).not.toMatch(/reset-password\/[A-Za-z0-9_-]{20}/);
  });

  it('keeps every secret, and staff e-mail addresses, out of the logs', () => {
    const logs = platform.logs.join('\n');
    expect(seen.filter((secret) => logs.includes(secret))).toEqual([]);
    expect(logs).not.toContain('@example.test');
  });
});
