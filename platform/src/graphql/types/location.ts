import { createLocation, updateLocation } from '../../tenancy/tenants.ts';
import { builder } from '../builder.ts';
import { adminOfRow } from '../row-scopes.ts';
import { LocationRef, PracticeRef } from './refs.ts';

builder.node(LocationRef, {
  id: { resolve: (location) => location.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.location.findUnique({ where: { id } })),
  fields: (t) => ({
    name: t.exposeString('name'),
    timeZone: t.exposeString('timeZone'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    practice: t.field({
      type: PracticeRef,
      resolve: (location, _args, ctx) => ctx.tenant((tx) => tx.practice.findUniqueOrThrow({ where: { id: location.practiceId } })),
    }),
  }),
});

builder.mutationField('createLocation', (t) =>
  t.field({
    type: LocationRef,
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: {
      practiceId: t.arg.globalID({ required: true, for: PracticeRef }),
      name: t.arg.string({ required: true }),
      timeZone: t.arg.string({ description: "Defaults to the practice's time zone." }),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) =>
        createLocation(tx, principal, { practiceId: args.practiceId.id, name: args.name, timeZone: args.timeZone, origin: ctx.origin }),
      ),
  }),
);

builder.mutationField('updateLocation', (t) =>
  t.field({
    type: LocationRef,
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.location.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: {
      id: t.arg.globalID({ required: true, for: LocationRef }),
      name: t.arg.string(),
      timeZone: t.arg.string(),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) =>
        updateLocation(tx, principal, { locationId: args.id.id, name: args.name, timeZone: args.timeZone, origin: ctx.origin }),
      ),
  }),
);
