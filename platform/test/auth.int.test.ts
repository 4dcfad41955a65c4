import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_POLICY } from '../src/auth/login.ts';
import { loadConfig } from '../src/config.ts';
import { createHttpApp, listen } from '../src/http/server.ts';
import { withSystem } from '../src/db/tenant-transaction.ts';
import { OUTBOX_CONTEXT } from '../src/mail/outbox.ts';
import { createAgencyWithPractices, createUser, globalId, PASSWORD, signIn } from './fixtures.ts';
import { GraphQLClient } from './graphql-client.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  for (const line of platform.logs) if (line.includes('"level":50')) process.stderr.write(line.slice(0, 1500));
  await platform.close();
});

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) }';
const ME = '{ me { user { email } mfaPending mfaEnrollmentRequired } }';

async function outbox(to: string): Promise<string[]> {
  const rows = await withSystem(platform.db.owner, async (c) =>
    (await c.query<{ body_sealed: Buffer }>('SELECT body_sealed FROM outbox_emails WHERE to_address = $1 ORDER BY created_at', [to])).rows,
  );
  return rows.map((r) => platform.ring.openSecret(r.body_sealed, OUTBOX_CONTEXT).toString());
}

function totpNow(secret: string): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
}

describe('sign-in', () => {
  it('signs in with the right password and sets an HttpOnly session cookie', async () => {
    const user = await createUser(platform);
    const client = new GraphQLClient(platform.url);
    const res = await fetch(`${platform.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'sl_csrf=t', 'x-csrf-token': 't' },
      body: JSON.stringify({ query: LOGIN, variables: { e: user.email, p: PASSWORD } }),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sl_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    await client.data(LOGIN, { e: user.email.toUpperCase(), p: PASSWORD });
    expect(await client.data(ME)).toEqual({ me: { user: { email: user.email }, mfaPending: false, mfaEnrollmentRequired: false } });
  });

  it('marks the session cookie Secure when the public URL is https, and only then', async () => {
    const user = await createUser(platform);
    const sessionCookieFrom = async (url: string) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'sl_csrf=t', 'x-csrf-token': 't' },
        body: JSON.stringify({ query: LOGIN, variables: { e: user.email, p: PASSWORD } }),
      });
      return res.headers.getSetCookie().find((c) => c.startsWith('sl_session='));
    };
    // TLS ends at a proxy in front of the server, so it is the configured public URL, not the request, that decides.
    const behindTls = { ...platform, config: loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://sourceline.test', DATA_DIR: '.data/test-runtime' }) };
    const server = await listen(createHttpApp(behindTls), 0, '127.0.0.1');
    try {
      expect(await sessionCookieFrom(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)).toMatch(/; Secure(;|$)/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // The test platform's public URL is plain http: a Secure cookie would never come back to it.
    expect(await sessionCookieFrom(platform.url)).not.toMatch(/Secure/);
  });

  it('gives the same message for a wrong password and an unknown address', async () => {
    const user = await createUser(platform);
    const client = new GraphQLClient(platform.url);
    const wrong = await client.error(LOGIN, { e: user.email, p: 'not the password at all' });
    const unknown = await client.error(LOGIN, { e: 'nobody-here@example.test', p: 'not the password at all' });
    expect(wrong).toEqual(unknown);
    expect(wrong.message).toBe('The e-mail address or password is incorrect.');
  });

  it('locks an address after repeated failures, whether or not it has an account', async () => {
    const user = await createUser(platform);
    for (const email of [user.email, 'ghost@example.test']) {
      const client = new GraphQLClient(platform.url);
      for (let i = 0; i < LOGIN_POLICY.maxFailuresPerAccount; i += 1) await client.error(LOGIN, { e: email, p: 'wrong password!!' });
      const locked = await client.error(LOGIN, { e: email, p: email === user.email ? PASSWORD : 'x' });
      expect(locked.code).toBe('TOO_MANY_ATTEMPTS');
    }
  });

  it('issues a new session token at every sign-in and revokes the one the browser brought', async () => {
    const user = await createUser(platform);
    const client = await signIn(platform, user.email);
    const first = client.cookie('sl_session')!;
    await client.data(LOGIN, { e: user.email, p: PASSWORD });
    const second = client.cookie('sl_session')!;
    expect(second).not.toBe(first);
    const stale = new GraphQLClient(platform.url);
    stale.setCookie('sl_session', first);
    expect(await stale.data(ME)).toEqual({ me: null });
  });

  it('signs out and the old cookie stops working', async () => {
    const user = await createUser(platform);
    const client = await signIn(platform, user.email);
    const token = client.cookie('sl_session')!;
    await client.data('mutation { logout }');
    const replay = new GraphQLClient(platform.url);
    replay.setCookie('sl_session', token);
    expect(await replay.data(ME)).toEqual({ me: null });
  });

  it('treats an expired session, and any session of a disabled account, as no one; it refreshes last-seen at most once a minute', async () => {
    const user = await createUser(platform);
    const client = await signIn(platform, user.email);
    const hash = createHash('sha256').update(client.cookie('sl_session')!).digest();
    const session = () =>
      withSystem(platform.db.owner, async (c) => (await c.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM sessions WHERE token_hash = $1', [hash])).rows[0]!);
    const sql = (text: string) => withSystem(platform.db.owner, (c) => c.query(text, [hash]));

    await sql(`UPDATE sessions SET last_seen_at = now() - interval '10 minutes' WHERE token_hash = $1`);
    expect((await client.data<{ me: { user: { email: string } } }>(ME)).me.user.email).toBe(user.email);
    const seen = (await session()).last_seen_at;
    expect(Date.now() - seen.getTime()).toBeLessThan(60_000);
    await client.data(ME);
    expect((await session()).last_seen_at).toEqual(seen);

    await sql(`UPDATE users SET disabled_at = now() WHERE id = (SELECT user_id FROM sessions WHERE token_hash = $1)`);
    expect(await client.data(ME)).toEqual({ me: null });
    await sql(`UPDATE users SET disabled_at = NULL WHERE id = (SELECT user_id FROM sessions WHERE token_hash = $1)`);
    expect((await client.data<{ me: { user: { email: string } } }>(ME)).me.user.email).toBe(user.email);
    await sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`);
    expect(await client.data(ME)).toEqual({ me: null });
  });
});

describe('CSRF protection', () => {
  it('refuses a cookie-authenticated mutation without the CSRF header', async () => {
    const user = await createUser(platform);
    const client = await signIn(platform, user.email);
    const bare = new GraphQLClient(platform.url, { csrf: false });
    bare.setCookie('sl_session', client.cookie('sl_session')!);
    const { status, body } = await bare.raw('mutation { logout }');
    expect(status).toBe(403);
    expect(body.errors?.[0]?.message).toMatch(/x-csrf-token/);
  });

  it('refuses a header that does not match the cookie', async () => {
    const client = new GraphQLClient(platform.url);
    const { status } = await client.raw('mutation { logout }', {}, { headers: { 'x-csrf-token': 'forged' } });
    expect(status).toBe(403);
  });

  it('never runs a mutation sent as GET', async () => {
    const user = await createUser(platform);
    const client = await signIn(platform, user.email);
    const { status } = await client.raw('mutation { logout }', {}, { method: 'GET' });
    expect(status).toBe(405);
    expect(await client.data(ME)).toMatchObject({ me: { user: { email: user.email } } });
  });
});

describe('two-factor authentication', () => {
  it('enrols, then requires a code at sign-in, accepting a TOTP code once and recovery codes once', async () => {
    const user = await createUser(platform);
    const client = await signIn(platform, user.email);
    const { startMfaEnrollment } = await client.data<{ startMfaEnrollment: { secret: string; otpauthUri: string } }>(
      'mutation { startMfaEnrollment { secret otpauthUri } }',
    );
    expect(startMfaEnrollment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Sourceline/);
    const wrong = await client.error('mutation($c: String!) { confirmMfaEnrollment(code: $c) }', { c: '000000' });
    expect(wrong.code).toBe('BAD_USER_INPUT');
    const enrolmentCode = totpNow(startMfaEnrollment.secret);
    const { confirmMfaEnrollment: codes } = await client.data<{ confirmMfaEnrollment: string[] }>(
      'mutation($c: String!) { confirmMfaEnrollment(code: $c) }',
      { c: enrolmentCode },
    );
    expect(codes).toHaveLength(10);

    const next = new GraphQLClient(platform.url);
    expect(await next.data(LOGIN, { e: user.email, p: PASSWORD })).toEqual({ login: 'MFA_REQUIRED' });
    expect(await next.data(ME)).toMatchObject({ me: { mfaPending: true } });
    expect((await next.error('{ agencies { edges { node { id } } } }')).code).toBe('MFA_REQUIRED');
    // The code used for enrolment cannot be replayed within its window. (That code itself: computed again, a code of
    // the next 30-second step would be a fresh one whenever the test crossed a step.)
    expect((await next.error('mutation($c: String!) { verifyMfa(code: $c) }', { c: enrolmentCode })).code).toBe('BAD_USER_INPUT');
    const pendingToken = next.cookie('sl_session');
    await next.data('mutation($c: String!) { verifyMfa(code: $c) }', { c: codes[0] });
    expect(next.cookie('sl_session')).not.toBe(pendingToken);
    expect(await next.data(ME)).toMatchObject({ me: { mfaPending: false } });

    const again = new GraphQLClient(platform.url);
    await again.data(LOGIN, { e: user.email, p: PASSWORD });
    expect((await again.error('mutation($c: String!) { verifyMfa(code: $c) }', { c: codes[0] })).code).toBe('BAD_USER_INPUT');
  });

  it('holds members of an agency that requires MFA at enrolment until they enrol', async () => {
    const { agencyId } = await createAgencyWithPractices(platform, 'Strict Agency', ['Strict Dental']);
    await withSystem(platform.db.owner, (c) => c.query('UPDATE agencies SET mfa_required = true WHERE id = $1', [agencyId]));
    const user = await createUser(platform, { agencies: [[agencyId, 'analyst']] });
    const client = await signIn(platform, user.email);
    expect(await client.data(ME)).toMatchObject({ me: { mfaEnrollmentRequired: true } });
    expect((await client.error('{ practices { edges { node { name } } } }')).code).toBe('MFA_ENROLLMENT_REQUIRED');
    const { startMfaEnrollment } = await client.data<{ startMfaEnrollment: { secret: string } }>('mutation { startMfaEnrollment { secret } }');
    await client.data('mutation($c: String!) { confirmMfaEnrollment(code: $c) }', { c: totpNow(startMfaEnrollment.secret) });
    expect(await client.data('{ practices { edges { node { name } } } }')).toEqual({ practices: { edges: [{ node: { name: 'Strict Dental' } }] } });
    expect((await client.error('mutation { disableMfa(password: "correct horse battery staple") }')).code).toBe('FORBIDDEN');
  });
});

describe('password reset', () => {
  it('answers the same for unknown addresses and resets with the e-mailed link, signing out everywhere', async () => {
    const user = await createUser(platform);
    const signedIn = await signIn(platform, user.email);
    const anon = new GraphQLClient(platform.url);
    expect(await anon.data('mutation { requestPasswordReset(email: "nobody@example.test") }')).toEqual({ requestPasswordReset: true });
    expect(await anon.data('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: user.email })).toEqual({ requestPasswordReset: true });
    const [mail] = await outbox(user.email);
    const token = /reset-password\/(\S+)/.exec(mail!)![1]!;
    expect((await anon.error('mutation($t: String!) { resetPassword(token: $t, password: "short") }', { t: token })).code).toBe('BAD_USER_INPUT');
    await anon.data('mutation($t: String!) { resetPassword(token: $t, password: "a brand new passphrase") }', { t: token });
    expect((await anon.error('mutation($t: String!) { resetPassword(token: $t, password: "another new passphrase") }', { t: token })).code).toBe('NOT_FOUND');
    expect(await signedIn.data(ME)).toEqual({ me: null });
    await signIn(platform, user.email, 'a brand new passphrase');
  });
});

describe('invitations', () => {
  it('lets an admin invite someone who then creates an account and sees the practice', async () => {
    const { agencyId, practiceIds } = await createAgencyWithPractices(platform, 'Invite Agency', ['Invite Dental']);
    const admin = await createUser(platform, { agencies: [[agencyId, 'admin']] });
    const client = await signIn(platform, admin.email);
    await client.data('mutation($p: ID!) { createInvitation(email: "New.Person@Example.test", role: VIEWER, practiceId: $p) { email role } }', {
      p: globalId('Practice', practiceIds[0]!),
    });
    const [mail] = await outbox('new.person@example.test');
    const token = /invitations\/(\S+)/.exec(mail!)![1]!;
    const invitee = new GraphQLClient(platform.url);
    expect(await invitee.data('query($t: String!) { invitation(token: $t) { email role scopeName hasAccount } }', { t: token })).toEqual({
      invitation: { email: 'new.person@example.test', role: 'VIEWER', scopeName: 'Invite Dental', hasAccount: false },
    });
    await invitee.data('mutation($t: String!) { acceptInvitation(token: $t, displayName: "New Person", password: "a long enough secret") }', { t: token });
    const signedIn = await signIn(platform, 'new.person@example.test', 'a long enough secret');
    expect(await signedIn.data('{ practices { edges { node { name viewerRole } } } }')).toEqual({
      practices: { edges: [{ node: { name: 'Invite Dental', viewerRole: 'viewer' } }] },
    });
    expect((await invitee.error('mutation($t: String!) { acceptInvitation(token: $t, displayName: "X", password: "a long enough secret") }', { t: token })).code).toBe('NOT_FOUND');
  });

  it('refuses invitations from non-admins', async () => {
    const { agencyId } = await createAgencyWithPractices(platform, 'Viewer Agency', ['Viewer Dental']);
    const analyst = await createUser(platform, { agencies: [[agencyId, 'analyst']] });
    const client = await signIn(platform, analyst.email);
    const error = await client.error('mutation($a: ID!) { createInvitation(email: "x@example.test", role: ADMIN, agencyId: $a) { id } }', {
      a: globalId('Agency', agencyId),
    });
    expect(error.code).toBe('FORBIDDEN');
  });
});
