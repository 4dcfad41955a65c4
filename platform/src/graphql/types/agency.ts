import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { createAgency, updateAgency } from '../../tenancy/tenants.ts';
import { builder } from '../builder.ts';
import { AgencyRef, InvitationRef, MembershipRef, PracticeRef } from './refs.ts';

builder.node(AgencyRef, {
  id: { resolve: (agency) => agency.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.agency.findUnique({ where: { id } })),
  fields: (t) => ({
    name: t.exposeString('name'),
    mfaRequired: t.exposeBoolean('mfaRequired', { description: 'Whether every member must use two-factor authentication.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    practices: t.connection({
      type: PracticeRef,
      resolve: (agency, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) => tx.practice.findMany({ where: { agencyId: agency.id }, orderBy: { name: 'asc' }, take: limit, skip: offset })),
        ),
    }),
    memberships: t.connection({
      type: MembershipRef,
      description: 'Who has agency-wide access, and with which role. Admins only.',
      authScopes: (agency) => ({ agency: { id: agency.id, role: 'admin' } }),
      resolve: (agency, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) => tx.membership.findMany({ where: { agencyId: agency.id }, orderBy: { createdAt: 'asc' }, take: limit, skip: offset })),
        ),
    }),
    invitations: t.connection({
      type: InvitationRef,
      description: 'Invitations not yet accepted, revoked or expired. Admins only.',
      authScopes: (agency) => ({ agency: { id: agency.id, role: 'admin' } }),
      resolve: (agency, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) =>
            tx.invitation.findMany({
              where: { agencyId: agency.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
              orderBy: { createdAt: 'desc' },
              take: limit,
              skip: offset,
            }),
          ),
        ),
    }),
  }),
});

builder.queryField('agencies', (t) =>
  t.connection({
    type: AgencyRef,
    description: 'Agencies you belong to, or whose practices you belong to.',
    authScopes: { signedIn: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args }, ({ limit, offset }) =>
        ctx.tenant((tx) => tx.agency.findMany({ orderBy: { name: 'asc' }, take: limit, skip: offset })),
      ),
  }),
);

builder.mutationField('createAgency', (t) =>
  t.field({
    type: AgencyRef,
    description: 'Platform administrators only: a new agency, with you as its first admin.',
    authScopes: { platformAdmin: true },
    args: { name: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.tenant((tx, principal) => createAgency(tx, principal, { name: args.name, origin: ctx.origin })),
  }),
);

builder.mutationField('updateAgency', (t) =>
  t.field({
    type: AgencyRef,
    authScopes: (_root, args) => ({ agency: { id: args.id.id, role: 'admin' } }),
    args: {
      id: t.arg.globalID({ required: true, for: AgencyRef }),
      name: t.arg.string(),
      mfaRequired: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) =>
        updateAgency(tx, principal, { agencyId: args.id.id, name: args.name, mfaRequired: args.mfaRequired, origin: ctx.origin }),
      ),
  }),
);
