import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { listAuditEvents } from '../../audit/list-audit-events.ts';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { UserFacingError } from '../../errors.ts';
import { builder } from '../builder.ts';
import { AgencyRef, AuditEventRef, PracticeRef, UserRef } from './refs.ts';

builder.objectType(AuditEventRef, {
  description: 'One entry of the append-only, hash-chained audit log.',
  fields: (t) => ({
    id: t.string({ resolve: (e) => e.id.toString() }),
    action: t.exposeString('action'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    actorLabel: t.exposeString('actorLabel', { nullable: true }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      resolve: (e, _a, ctx) => (e.actorUserId ? ctx.tenant((tx) => tx.user.findUnique({ where: { id: e.actorUserId! } })) : null),
    }),
    viaApiToken: t.boolean({ resolve: (e) => e.actorTokenId !== null }),
    practice: t.field({
      type: PracticeRef,
      nullable: true,
      resolve: (e, _a, ctx) => (e.practiceId ? ctx.tenant((tx) => tx.practice.findUnique({ where: { id: e.practiceId! } })) : null),
    }),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.exposeString('targetId', { nullable: true }),
    fields: t.exposeStringList('fields'),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    details: t.string({ description: 'Ids, counts and reasons, as JSON.', resolve: (e) => JSON.stringify(e.details) }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.connection({
    type: AuditEventRef,
    description: 'Admins: the audit log of a practice or an agency, newest first, with filters. Reading it is itself audited.',
    authScopes: (_root, args) =>
      args.practiceId
        ? { practice: { id: args.practiceId.id, role: 'admin' } }
        : args.agencyId
          ? { agency: { id: args.agencyId.id, role: 'admin' } }
          : false,
    args: {
      practiceId: t.arg.globalID({ for: PracticeRef }),
      agencyId: t.arg.globalID({ for: AgencyRef }),
      action: t.arg.string({ description: 'Exact action, or a prefix ending in "." (e.g. "auth.").' }),
      actorId: t.arg.globalID({ for: UserRef }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
    },
    resolve: (_root, args, ctx) => {
      if (!!args.practiceId === !!args.agencyId) throw new UserFacingError('Give exactly one of practiceId or agencyId.', 'BAD_USER_INPUT');
      const owner = args.practiceId ? { practiceId: args.practiceId.id } : { agencyId: args.agencyId!.id };
      const filter = { action: args.action, actorUserId: args.actorId?.id, from: args.from, to: args.to };
      return resolveCursorConnection(
        { args, toCursor: (e) => e.id.toString() },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          ctx.tenant(async (tx, principal) => {
            const rows = await listAuditEvents(tx, owner, filter, { after: after ? BigInt(after) : null, before: before ? BigInt(before) : null, limit, inverted });
            await recordAuditEvent(tx, {
              action: 'audit_log.read',
              practiceId: args.practiceId?.id ?? null,
              agencyId: args.agencyId?.id ?? null,
              actor: { userId: principal.userId, tokenId: principal.tokenId },
              origin: ctx.origin,
              details: { rows: rows.length },
            });
            return rows;
          }),
      );
    },
  }),
);
