import type { Principal } from '../../auth/principal.ts';
import { builder } from '../builder.ts';
import { MembershipRef, UserRef } from './refs.ts';

const ViewerRef = builder.objectRef<Principal>('Viewer');

ViewerRef.implement({
  description: 'The signed-in caller: who they are, which gates remain, and where they have access.',
  fields: (t) => ({
    user: t.field({
      type: UserRef,
      resolve: (p, _a, ctx) =>
        ctx.platform.db.prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT set_config('app.user_id', ${p.userId}, true)`;
          return tx.user.findUniqueOrThrow({ where: { id: p.userId } });
        }),
    }),
    platformAdmin: t.boolean({ resolve: (p) => p.platformAdmin }),
    mfaPending: t.boolean({ description: 'A second factor is needed to finish signing in.', resolve: (p) => p.mfaPending }),
    mfaEnrollmentRequired: t.boolean({
      description: 'An agency you belong to requires two-factor authentication, which you have not set up yet.',
      resolve: (p) => p.mfaEnrollmentRequired,
    }),
    viaApiToken: t.boolean({ resolve: (p) => p.tokenId !== null }),
    memberships: t.field({
      type: [MembershipRef],
      authScopes: { signedIn: true },
      resolve: (p, _a, ctx) => ctx.tenant((tx) => tx.membership.findMany({ where: { userId: p.userId }, orderBy: { createdAt: 'asc' } })),
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: ViewerRef,
    nullable: true,
    description: 'The caller, or null when not signed in.',
    resolve: (_root, _args, ctx) => ctx.principal,
  }),
);
