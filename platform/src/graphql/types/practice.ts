import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { queueMatching } from '../../matching/practice/matching-job.ts';
import { createPractice, updatePractice } from '../../tenancy/tenants.ts';
import { builder } from '../builder.ts';
import { AgencyRef, InvitationRef, LocationRef, MembershipRef, PracticeRef } from './refs.ts';

builder.node(PracticeRef, {
  id: { resolve: (practice) => practice.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.practice.findUnique({ where: { id } })),
  fields: (t) => ({
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone: day buckets, ranges and month-end close use it.' }),
    areaCode: t.exposeString('areaCode', {
      nullable: true,
      description: 'Completes seven-digit phone numbers in matching, beside the area codes learned from the charts. Changing it re-matches every lead.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    agency: t.field({
      type: AgencyRef,
      resolve: (practice, _args, ctx) => ctx.tenant((tx) => tx.agency.findUniqueOrThrow({ where: { id: practice.agencyId } })),
    }),
    viewerRole: t.field({
      type: 'String',
      nullable: true,
      description: 'Your effective role here: admin, analyst or viewer.',
      resolve: (practice, _args, ctx) => ctx.principal?.practiceRoles.get(practice.id) ?? null,
    }),
    locations: t.connection({
      type: LocationRef,
      resolve: (practice, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) => tx.location.findMany({ where: { practiceId: practice.id }, orderBy: { name: 'asc' }, take: limit, skip: offset })),
        ),
    }),
    memberships: t.connection({
      type: MembershipRef,
      description: 'Who has access to this practice directly (agency-wide members are listed on the agency). Admins only.',
      authScopes: (practice) => ({ practice: { id: practice.id, role: 'admin' } }),
      resolve: (practice, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) => tx.membership.findMany({ where: { practiceId: practice.id }, orderBy: { createdAt: 'asc' }, take: limit, skip: offset })),
        ),
    }),
    invitations: t.connection({
      type: InvitationRef,
      authScopes: (practice) => ({ practice: { id: practice.id, role: 'admin' } }),
      resolve: (practice, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) =>
            tx.invitation.findMany({
              where: { practiceId: practice.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
              orderBy: { createdAt: 'desc' },
              take: limit,
              skip: offset,
            }),
          ),
        ),
    }),
  }),
});

builder.queryField('practices', (t) =>
  t.connection({
    type: PracticeRef,
    description: 'Every practice you can reach, across agencies.',
    authScopes: { signedIn: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args }, ({ limit, offset }) =>
        ctx.tenant((tx, principal) =>
          tx.practice.findMany({ where: { id: { in: [...principal.practiceRoles.keys()] } }, orderBy: { name: 'asc' }, take: limit, skip: offset }),
        ),
      ),
  }),
);

builder.mutationField('createPractice', (t) =>
  t.field({
    type: PracticeRef,
    description: 'Agency admins: add a practice. Its encryption keys are created with it.',
    authScopes: (_root, args) => ({ agency: { id: args.agencyId.id, role: 'admin' } }),
    args: {
      agencyId: t.arg.globalID({ required: true, for: AgencyRef }),
      name: t.arg.string({ required: true }),
      timeZone: t.arg.string(),
      areaCode: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) =>
        createPractice(tx, ctx.platform.ring, principal, {
          agencyId: args.agencyId.id,
          name: args.name,
          timeZone: args.timeZone,
          areaCode: args.areaCode,
          origin: ctx.origin,
        }),
      ),
  }),
);

builder.mutationField('updatePractice', (t) =>
  t.field({
    type: PracticeRef,
    authScopes: (_root, args) => ({ practice: { id: args.id.id, role: 'admin' } }),
    args: {
      id: t.arg.globalID({ required: true, for: PracticeRef }),
      name: t.arg.string(),
      timeZone: t.arg.string(),
      areaCode: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const { practice, areaCodeChanged } = await ctx.tenant(async (tx, principal) => {
        const before = await tx.practice.findUnique({ where: { id: args.id.id }, select: { areaCode: true } });
        const practice = await updatePractice(tx, principal, {
          practiceId: args.id.id,
          name: args.name,
          timeZone: args.timeZone,
          areaCode: args.areaCode,
          origin: ctx.origin,
        });
        return { practice, areaCodeChanged: before?.areaCode !== practice.areaCode };
      });
      // Seven-digit numbers now mean something else: every lead is matched again with the new reading. The code is
      // saved either way; if the queue refuses, the nightly refit reads it.
      if (areaCodeChanged) {
        await queueMatching(ctx.platform.jobs, practice.id, { full: true, delaySeconds: 0 }).catch((error: Error) =>
          ctx.platform.logger.warn({ practiceId: practice.id, error: error.name }, 'area code saved; the full re-match was not queued, the nightly refit will read it'),
        );
      }
      return practice;
    },
  }),
);
