import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { createApiToken, revokeApiToken } from '../../auth/api-tokens.ts';
import { builder, roleOf, RoleEnum } from '../builder.ts';
import { ApiTokenRef, PracticeRef } from './refs.ts';

builder.node(ApiTokenRef, {
  id: { resolve: (token) => token.id },
  loadOne: (id, ctx) => ctx.tenant((tx, principal) => tx.apiToken.findFirst({ where: { id, userId: principal.userId } })),
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    role: t.field({ type: RoleEnum, resolve: roleOf }),
    practices: t.field({
      type: [PracticeRef],
      resolve: (token, _a, ctx) => ctx.tenant((tx) => tx.practice.findMany({ where: { id: { in: token.practiceIds } }, orderBy: { name: 'asc' } })),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('apiTokens', (t) =>
  t.connection({
    type: ApiTokenRef,
    description: 'Your personal API tokens, newest first.',
    authScopes: { signedIn: true },
    resolve: (_root, args, ctx) =>
      resolveOffsetConnection({ args }, ({ limit, offset }) =>
        ctx.tenant((tx, principal) =>
          tx.apiToken.findMany({ where: { userId: principal.userId }, orderBy: { createdAt: 'desc' }, take: limit, skip: offset }),
        ),
      ),
  }),
);

const CreatedApiTokenRef = builder.simpleObject('CreatedApiToken', {
  fields: (t) => ({
    apiToken: t.field({ type: ApiTokenRef }),
    secret: t.string({ description: 'The token itself. Shown only now: store it safely; Sourceline keeps only its hash.' }),
  }),
});

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiTokenRef,
    description: 'A personal API token limited to some of your practices and a role no higher than yours. Send it as `Authorization: Bearer <secret>`.',
    // A token cannot mint tokens: access obtained through one must not outlive its revocation.
    authScopes: (_root, _args, ctx) => (ctx.principal?.tokenId ? false : { signedIn: true }),
    args: {
      name: t.arg.string({ required: true }),
      role: t.arg({ type: RoleEnum, required: true }),
      practiceIds: t.arg.globalIDList({ required: true, for: PracticeRef }),
      expiresAt: t.arg({ type: 'DateTime' }),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant(async (tx, principal) => {
        const created = await createApiToken(tx, principal, {
          name: args.name,
          role: args.role,
          practiceIds: args.practiceIds.map((id) => id.id),
          expiresAt: args.expiresAt,
          origin: ctx.origin,
        });
        return { apiToken: await tx.apiToken.findUniqueOrThrow({ where: { id: created.id } }), secret: created.token };
      }),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.boolean({
    authScopes: { signedIn: true },
    args: { id: t.arg.globalID({ required: true, for: ApiTokenRef }) },
    resolve: async (_root, args, ctx) => {
      await ctx.tenant((tx, principal) => revokeApiToken(tx, principal, { id: args.id.id, origin: ctx.origin }));
      return true;
    },
  }),
);
