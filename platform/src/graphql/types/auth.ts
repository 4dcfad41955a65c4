import { completeMfaLogin, confirmMfaEnrollment, disableMfa, startMfaEnrollment } from '../../auth/mfa.ts';
import { login } from '../../auth/login.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../auth/passwords.ts';
import { requestPasswordReset, resetPassword } from '../../auth/password-reset.ts';
import { revokeSession } from '../../auth/sessions.ts';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { withTenant } from '../../db/tenant-transaction.ts';
import { UserFacingError } from '../../errors.ts';
import { clearedSessionCookie, sessionCookie } from '../../http/cookies.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';

const SignInStatus = builder.enumType('SignInStatus', {
  values: {
    SIGNED_IN: { description: 'Signed in; the session cookie is set.' },
    MFA_REQUIRED: { description: 'Password accepted; call verifyMfa with a code from the authenticator app.' },
  } as const,
});

function setSession(ctx: GraphQLContext, session: { token: string; expiresAt: Date }): void {
  ctx.setCookies.push(sessionCookie(session.token, session.expiresAt, ctx.platform.config.secureCookies));
}

builder.mutationField('login', (t) =>
  t.field({
    type: SignInStatus,
    description: 'Signs in with e-mail and password. Repeated failures lock the address for a while; errors never say whether an account exists.',
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const result = await login(
        { prisma: ctx.platform.db.prisma, ring: ctx.platform.ring, sessionTtlHours: ctx.platform.config.SESSION_TTL_HOURS },
        { email: args.email, password: args.password, origin: ctx.origin, previousSessionId: ctx.sessionId },
      );
      setSession(ctx, result.session);
      return result.mfaRequired ? 'MFA_REQUIRED' : 'SIGNED_IN';
    },
  }),
);

builder.mutationField('verifyMfa', (t) =>
  t.boolean({
    description: 'Finishes signing in with a six-digit code or a recovery code.',
    authScopes: { session: true },
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const principal = ctx.principal!;
      if (!principal.mfaPending || !principal.sessionId) throw new UserFacingError('You are already signed in.', 'CONFLICT');
      const session = await withTenant(ctx.platform.db.prisma, { userId: principal.userId }, (tx) =>
        completeMfaLogin(tx, ctx.platform.ring, {
          userId: principal.userId,
          pendingSessionId: principal.sessionId!,
          code: args.code,
          origin: ctx.origin,
          ttlHours: ctx.platform.config.SESSION_TTL_HOURS,
        }),
      );
      setSession(ctx, session);
      return true;
    },
  }),
);

builder.mutationField('logout', (t) =>
  t.boolean({
    resolve: async (_root, _args, ctx) => {
      const principal = ctx.principal;
      if (principal?.sessionId) {
        await withTenant(ctx.platform.db.prisma, { userId: principal.userId }, async (tx) => {
          await revokeSession(tx, principal.sessionId!);
          await recordAuditEvent(tx, { action: 'auth.logout', actor: { userId: principal.userId }, origin: ctx.origin, target: { type: 'session', id: principal.sessionId! } });
        });
      }
      ctx.setCookies.push(clearedSessionCookie(ctx.platform.config.secureCookies));
      return true;
    },
  }),
);

const MfaEnrollmentRef = builder.simpleObject('MfaEnrollment', {
  fields: (t) => ({
    otpauthUri: t.string({ description: 'otpauth:// URI for a QR code.' }),
    secret: t.string({ description: 'The same secret in base32, to type in by hand.' }),
  }),
});

/** MFA set-up is open to a session that is gated only by the agency requiring it. */
const canManageOwnMfa = (ctx: GraphQLContext) => !!ctx.principal && !ctx.principal.mfaPending && !ctx.principal.tokenId;

builder.mutationField('startMfaEnrollment', (t) =>
  t.field({
    type: MfaEnrollmentRef,
    authScopes: (_r, _a, ctx) => canManageOwnMfa(ctx),
    resolve: (_root, _args, ctx) =>
      withTenant(ctx.platform.db.prisma, { userId: ctx.principal!.userId }, (tx) => startMfaEnrollment(tx, ctx.platform.ring, ctx.principal!.userId)),
  }),
);

builder.mutationField('confirmMfaEnrollment', (t) =>
  t.stringList({
    description: 'Turns two-factor authentication on with a first code; returns ten one-time recovery codes, shown only now.',
    authScopes: (_r, _a, ctx) => canManageOwnMfa(ctx),
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) =>
      withTenant(ctx.platform.db.prisma, { userId: ctx.principal!.userId }, (tx) =>
        confirmMfaEnrollment(tx, ctx.platform.ring, { userId: ctx.principal!.userId, code: args.code, origin: ctx.origin }),
      ),
  }),
);

builder.mutationField('disableMfa', (t) =>
  t.boolean({
    authScopes: { signedIn: true },
    args: { password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const principal = ctx.principal!;
      await withTenant(ctx.platform.db.prisma, { userId: principal.userId }, async (tx) => {
        const user = await tx.user.findUniqueOrThrow({ where: { id: principal.userId } });
        if (!(await verifyPassword(user.passwordHash, args.password))) throw new UserFacingError('The password is incorrect.', 'BAD_USER_INPUT', { field: 'password' });
        const requiredByAgency = (await ctx.tenant((scoped) => scoped.agency.count({ where: { mfaRequired: true } }))) > 0;
        await disableMfa(tx, { userId: principal.userId, origin: ctx.origin, requiredByAgency });
      });
      return true;
    },
  }),
);

builder.mutationField('changePassword', (t) =>
  t.boolean({
    authScopes: (_r, _a, ctx) => canManageOwnMfa(ctx),
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      checkPasswordPolicy(args.newPassword);
      const principal = ctx.principal!;
      const passwordHash = await hashPassword(args.newPassword);
      await withTenant(ctx.platform.db.prisma, { userId: principal.userId }, async (tx) => {
        const user = await tx.user.findUniqueOrThrow({ where: { id: principal.userId } });
        if (!(await verifyPassword(user.passwordHash, args.currentPassword))) {
          throw new UserFacingError('The current password is incorrect.', 'BAD_USER_INPUT', { field: 'currentPassword' });
        }
        await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
        // Other sessions may belong to whoever knew the old password.
        await tx.session.updateMany({ where: { userId: user.id, revokedAt: null, id: { not: principal.sessionId ?? undefined } }, data: { revokedAt: new Date() } });
        await recordAuditEvent(tx, { action: 'auth.password_changed', actor: { userId: user.id }, origin: ctx.origin, target: { type: 'user', id: user.id } });
      });
      return true;
    },
  }),
);

builder.mutationField('requestPasswordReset', (t) =>
  t.boolean({
    description: 'E-mails a reset link if the address has an account. Always returns true.',
    args: { email: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await requestPasswordReset({ prisma: ctx.platform.db.prisma, ring: ctx.platform.ring }, { email: args.email, publicUrl: ctx.platform.config.publicUrl, origin: ctx.origin });
      return true;
    },
  }),
);

builder.mutationField('resetPassword', (t) =>
  t.boolean({
    description: 'Sets a new password from a reset link; every session of the account is signed out.',
    args: { token: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await resetPassword(ctx.platform.db.prisma, { token: args.token, password: args.password, origin: ctx.origin });
      return true;
    },
  }),
);
