import { acceptInvitation, createInvitation, previewInvitation, revokeInvitation } from '../../auth/invitations.ts';
import { changeMembershipRole, removeMembership } from '../../tenancy/memberships.ts';
import { UserFacingError } from '../../errors.ts';
import { builder, roleOf, RoleEnum } from '../builder.ts';
import { adminOf, adminOfRow } from '../row-scopes.ts';
import { AgencyRef, InvitationRef, MembershipRef, PracticeRef, UserRef } from './refs.ts';

builder.node(UserRef, {
  id: { resolve: (user) => user.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.user.findUnique({ where: { id } })),
  fields: (t) => ({
    email: t.exposeString('email'),
    displayName: t.exposeString('displayName'),
    mfaEnabled: t.boolean({ resolve: (user) => user.mfaEnabledAt !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.node(MembershipRef, {
  id: { resolve: (m) => m.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.membership.findUnique({ where: { id } })),
  fields: (t) => ({
    role: t.field({ type: RoleEnum, resolve: roleOf }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    user: t.field({ type: UserRef, resolve: (m, _a, ctx) => ctx.tenant((tx) => tx.user.findUniqueOrThrow({ where: { id: m.userId } })) }),
    agency: t.field({
      type: AgencyRef,
      nullable: true,
      resolve: (m, _a, ctx) => (m.agencyId ? ctx.tenant((tx) => tx.agency.findUnique({ where: { id: m.agencyId! } })) : null),
    }),
    practice: t.field({
      type: PracticeRef,
      nullable: true,
      resolve: (m, _a, ctx) => (m.practiceId ? ctx.tenant((tx) => tx.practice.findUnique({ where: { id: m.practiceId! } })) : null),
    }),
  }),
});

builder.node(InvitationRef, {
  id: { resolve: (i) => i.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.invitation.findUnique({ where: { id } })),
  fields: (t) => ({
    email: t.exposeString('email'),
    role: t.field({ type: RoleEnum, resolve: roleOf }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const InvitationPreviewRef = builder.simpleObject('InvitationPreview', {
  description: 'What an invitation link offers, shown before it is accepted.',
  fields: (t) => ({
    email: t.string(),
    role: t.field({ type: RoleEnum }),
    scopeName: t.string({ description: 'The agency or practice the invitation is for.' }),
    hasAccount: t.boolean({ description: 'Whether the invited address already has an account (then: sign in and accept).' }),
  }),
});

builder.queryField('invitation', (t) =>
  t.field({
    type: InvitationPreviewRef,
    description: 'Looks up an invitation by the secret token from its link.',
    args: { token: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => previewInvitation(ctx.platform.db.prisma, args.token),
  }),
);

builder.mutationField('createInvitation', (t) =>
  t.field({
    type: InvitationRef,
    description: 'Admins: invite someone by e-mail to an agency (all its practices) or to one practice.',
    // Neither or both ids is a mistake the resolver names; otherwise the target is in the arguments.
    authScopes: (_root, args) =>
      !!args.agencyId === !!args.practiceId
        ? { signedIn: true }
        : adminOf({ agencyId: args.agencyId?.id ?? null, practiceId: args.practiceId?.id ?? null }),
    args: {
      email: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
      agencyId: t.arg.globalID({ for: AgencyRef }),
      practiceId: t.arg.globalID({ for: PracticeRef }),
    },
    resolve: (_root, args, ctx) => {
      if (!!args.agencyId === !!args.practiceId) {
        throw new UserFacingError('Give exactly one of agencyId or practiceId.', 'BAD_USER_INPUT');
      }
      const scope = args.agencyId ? { agencyId: args.agencyId.id } : { practiceId: args.practiceId!.id };
      return ctx.tenant(async (tx, principal) => {
        const { id } = await createInvitation(tx, ctx.platform.ring, principal, {
          email: args.email,
          role: args.role,
          scope,
          publicUrl: ctx.platform.config.publicUrl,
          origin: ctx.origin,
        });
        return tx.invitation.findUniqueOrThrow({ where: { id } });
      });
    },
  }),
);

builder.mutationField('revokeInvitation', (t) =>
  t.boolean({
    // An accepted or revoked invitation is "not found" to everyone, as revokeInvitation words it.
    authScopes: (_root, args, ctx) =>
      adminOfRow(ctx, (tx) => tx.invitation.findFirst({ where: { id: args.id.id, acceptedAt: null, revokedAt: null } })),
    args: { id: t.arg.globalID({ required: true, for: InvitationRef }) },
    resolve: async (_root, args, ctx) => {
      await ctx.tenant((tx, principal) => revokeInvitation(tx, principal, { id: args.id.id, origin: ctx.origin }));
      return true;
    },
  }),
);

builder.mutationField('acceptInvitation', (t) =>
  t.boolean({
    description: 'Accepts an invitation: creates your account (name and password), or adds the access to the account you are signed in to.',
    args: {
      token: t.arg.string({ required: true }),
      displayName: t.arg.string(),
      password: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      await acceptInvitation(ctx.platform.db.prisma, {
        token: args.token,
        displayName: args.displayName,
        password: args.password,
        signedInUserId: ctx.principal && !ctx.principal.mfaPending ? ctx.principal.userId : null,
        origin: ctx.origin,
      });
      return true;
    },
  }),
);

builder.mutationField('changeMembershipRole', (t) =>
  t.field({
    type: MembershipRef,
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.membership.findUnique({ where: { id: args.id.id } })),
    args: { id: t.arg.globalID({ required: true, for: MembershipRef }), role: t.arg({ type: RoleEnum, required: true }) },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) => changeMembershipRole(tx, principal, { membershipId: args.id.id, role: args.role, origin: ctx.origin })),
  }),
);

builder.mutationField('removeMembership', (t) =>
  t.boolean({
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.membership.findUnique({ where: { id: args.id.id } })),
    args: { id: t.arg.globalID({ required: true, for: MembershipRef }) },
    resolve: async (_root, args, ctx) => {
      await ctx.tenant((tx, principal) => removeMembership(tx, principal, { membershipId: args.id.id, origin: ctx.origin }));
      return true;
    },
  }),
);
