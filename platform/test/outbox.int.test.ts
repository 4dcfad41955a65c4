import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliverOutbox } from '../src/mail/deliver-outbox.ts';
import { createAgencyWithPractices, createUser, globalId, signIn } from './fixtures.ts';
import { startTestPlatform, type TestPlatform } from './platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
  await rm(path.join(platform.config.dataDir, 'outbox'), { recursive: true, force: true });
});
afterAll(() => platform.close());

it('delivers queued mail once, to the local outbox when no SMTP server is configured', async () => {
  const tenant = await createAgencyWithPractices(platform, 'Mail Agency', ['Mail Dental']);
  const admin = await signIn(platform, (await createUser(platform, { agencies: [[tenant.agencyId, 'admin']] })).email);
  await admin.data('mutation($a: ID!) { createInvitation(email: "mail-invitee@example.test", role: ANALYST, agencyId: $a) { id } }', {
    a: globalId('Agency', tenant.agencyId),
  });
  expect(await deliverOutbox(platform)).toEqual({ sent: 1, failed: 0 });
  expect(await deliverOutbox(platform)).toEqual({ sent: 0, failed: 0 });
  const dir = path.join(platform.config.dataDir, 'outbox');
  const [file] = await readdir(dir);
  const message = await readFile(path.join(dir, file!), 'utf8');
  expect(message).toMatch(/^To: mail-invitee@example.test/m);
  expect(message).toMatch(/http:\/\/sourceline\.test\/invitations\/[A-Za-z0-9_-]{40,}/);
  expect(platform.logs.join('')).not.toContain('invitations/');
});
