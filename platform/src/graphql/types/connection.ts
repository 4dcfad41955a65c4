import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { redactSettings } from '@sourceline/sdk';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { openSettings } from '../../connections/connection-settings.ts';
import { connectorOrThrow, createConnection, rotateWebhookSecret, webhookUrl } from '../../connections/connections.ts';
import { listSyncRuns } from '../../connections/list-sync-runs.ts';
import { listConnectors, type ConnectorSummary } from '../../connections/registry.ts';
import { queueSync } from '../../connections/schedule-syncs.ts';
import { testConnection } from '../../connections/test-connection.ts';
import { updateConnection } from '../../connections/update-connection.ts';
import { UserFacingError } from '../../errors.ts';
import { requirePracticeRole } from '../../tenancy/tenants.ts';
import { builder } from '../builder.ts';
import { adminOfRow } from '../row-scopes.ts';
import { ConnectionRef, LocationRef, PracticeRef, SyncRunRef } from './refs.ts';

const ConnectorStreamRef = builder.objectRef<ConnectorSummary['streams'][number]>('ConnectorStream');
ConnectorStreamRef.implement({
  fields: (t) => ({ name: t.exposeString('name'), description: t.exposeString('description'), emits: t.stringList({ resolve: (s) => [...s.emits] }) }),
});

const ConnectorWebhookInfoRef = builder.objectRef<ConnectorSummary['webhooks'][number]>('ConnectorWebhook');
ConnectorWebhookInfoRef.implement({ fields: (t) => ({ name: t.exposeString('name'), description: t.exposeString('description') }) });

const ConnectorRef = builder.objectRef<ConnectorSummary>('Connector');
ConnectorRef.implement({
  description: 'A kind of source system Sourceline can connect to.',
  fields: (t) => ({
    id: t.exposeString('id'),
    kind: t.exposeString('kind', { description: '`pms` or `lead-source`.' }),
    displayName: t.exposeString('displayName'),
    description: t.exposeString('description'),
    status: t.exposeString('status', { description: '`available`, or `coming-soon` for declared stubs that cannot be connected yet.' }),
    secretFields: t.exposeStringList('secretFields', { description: 'Settings stored encrypted and never shown back.' }),
    streams: t.field({ type: [ConnectorStreamRef], resolve: (c) => c.streams }),
    webhooks: t.field({ type: [ConnectorWebhookInfoRef], description: 'Where the source pushes, listed before connecting.', resolve: (c) => c.webhooks }),
    canTest: t.exposeBoolean('canTest', { description: 'Whether testConnection can check this connector.' }),
    settingsSchema: t.string({
      description: 'The settings as JSON Schema (draft 2020-12); secret fields are listed in `secretFields`.',
      resolve: (c) => JSON.stringify(c.settingsSchema),
    }),
  }),
});

builder.queryField('connectors', (t) =>
  t.field({ type: [ConnectorRef], authScopes: { signedIn: true }, resolve: () => listConnectors() }),
);

const parseJsonObject = (text: string, field: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new UserFacingError(`${field} must be a JSON object.`, 'BAD_USER_INPUT', { field });
};

builder.node(SyncRunRef, {
  id: { resolve: (run) => run.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.syncRun.findUnique({ where: { id } })),
  fields: (t) => ({
    stream: t.exposeString('stream'),
    trigger: t.exposeString('trigger'),
    status: t.exposeString('status', { description: 'running, succeeded, failed or cancelled.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    progressDone: t.int({ resolve: (r) => Number(r.progressDone) }),
    progressTotal: t.int({ nullable: true, resolve: (r) => (r.progressTotal === null ? null : Number(r.progressTotal)) }),
    counts: t.string({ description: 'Per record kind: inserted, updated, deleted, skipped (JSON).', resolve: (r) => JSON.stringify(r.counts) }),
    errorCount: t.exposeInt('errorCount'),
    errors: t.string({ description: 'Rejected records by kind, source id and field (JSON; never values).', resolve: (r) => JSON.stringify(r.errors) }),
    cursorBefore: t.string({ nullable: true, resolve: (r) => (r.cursorBefore === null ? null : JSON.stringify(r.cursorBefore)) }),
    cursorAfter: t.string({ nullable: true, resolve: (r) => (r.cursorAfter === null ? null : JSON.stringify(r.cursorAfter)) }),
    failure: t.exposeString('failure', { nullable: true }),
  }),
});

const ConnectionWebhookRef = builder.simpleObject('ConnectionWebhook', {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    url: t.string({ nullable: true, description: 'Shown once; afterwards null (only a hash of the secret is kept).' }),
  }),
});

builder.node(ConnectionRef, {
  id: { resolve: (c) => c.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => tx.connection.findUnique({ where: { id } })),
  fields: (t) => ({
    connectorId: t.exposeString('connectorId'),
    displayName: t.exposeString('displayName'),
    status: t.exposeString('status', { description: 'new, ok, auth_failed, rate_limited or error.' }),
    statusMessage: t.exposeString('statusMessage', { nullable: true }),
    syncIntervalMinutes: t.exposeInt('syncIntervalMinutes'),
    paused: t.boolean({ resolve: (c) => c.pausedAt !== null }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    practice: t.field({ type: PracticeRef, resolve: (c, _a, ctx) => ctx.tenant((tx) => tx.practice.findUniqueOrThrow({ where: { id: c.practiceId } })) }),
    location: t.field({
      type: LocationRef,
      nullable: true,
      resolve: (c, _a, ctx) => (c.locationId ? ctx.tenant((tx) => tx.location.findUnique({ where: { id: c.locationId! } })) : null),
    }),
    settings: t.string({
      description: 'The settings as JSON, secrets masked. Admins only.',
      authScopes: (c) => ({ practice: { id: c.practiceId, role: 'admin' } }),
      resolve: (c, _a, ctx) =>
        ctx.tenant(async (tx) => {
          const connector = connectorOrThrow(c.connectorId);
          const cipher = await ctx.platform.keys.cipherFor(tx, c.practiceId);
          return JSON.stringify(redactSettings(connector.settings, openSettings(cipher, connector, c.settingsSealed)));
        }),
    }),
    webhooks: t.field({
      type: [ConnectionWebhookRef],
      description: 'Where the source pushes to. The URLs contain a secret: they are present only in the answer of the mutation that made it.',
      resolve: (c, _a, ctx) =>
        connectorOrThrow(c.connectorId).webhooks.map((w) => ({
          name: w.name,
          description: w.description,
          url: c.webhookSecret ? webhookUrl(ctx.platform.config.publicUrl, c.webhookSecret, w.name) : null,
        })),
    }),
    runs: t.connection({
      type: SyncRunRef,
      description: 'Sync runs, newest first.',
      resolve: (c, args, ctx) =>
        resolveOffsetConnection({ args }, ({ limit, offset }) =>
          ctx.tenant((tx) => listSyncRuns(tx, c.id, { limit, offset })),
        ),
    }),
  }),
});

builder.objectField(PracticeRef, 'connections', (t) =>
  t.field({
    type: [ConnectionRef],
    description: 'Source systems connected to this practice.',
    resolve: (p, _a, ctx) => ctx.tenant((tx) => tx.connection.findMany({ where: { practiceId: p.id }, orderBy: { createdAt: 'asc' } })),
  }),
);

builder.mutationField('createConnection', (t) =>
  t.field({
    type: ConnectionRef,
    description: 'Admins: connect a source system. `settings` is a JSON object matching the connector’s settings.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: {
      practiceId: t.arg.globalID({ required: true, for: PracticeRef }),
      connectorId: t.arg.string({ required: true }),
      displayName: t.arg.string(),
      settings: t.arg.string({ required: true }),
      locationId: t.arg.globalID({ for: LocationRef }),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant(async (tx, principal) => {
        const { connection, webhookSecret } = await createConnection(tx, ctx.platform.keys, principal, {
          practiceId: args.practiceId.id,
          connectorId: args.connectorId,
          displayName: args.displayName,
          settings: parseJsonObject(args.settings, 'settings'),
          locationId: args.locationId?.id ?? null,
          origin: ctx.origin,
        });
        return { ...connection, webhookSecret };
      }),
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: ConnectionRef,
    description: 'Admins: a new webhook address (the old one stops at once); read `webhooks { url }` from this answer.',
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.connection.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: ConnectionRef }) },
    resolve: (_root, args, ctx) =>
      ctx.tenant(async (tx, principal) => {
        const { connection, webhookSecret } = await rotateWebhookSecret(tx, principal, { connectionId: args.id.id, origin: ctx.origin });
        return { ...connection, webhookSecret };
      }),
  }),
);

builder.mutationField('updateConnection', (t) =>
  t.field({
    type: ConnectionRef,
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.connection.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: {
      id: t.arg.globalID({ required: true, for: ConnectionRef }),
      displayName: t.arg.string(),
      settings: t.arg.string({ description: 'JSON object of settings to change; omitted fields (and secrets) keep their values.' }),
      syncIntervalMinutes: t.arg.int(),
      paused: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) =>
        updateConnection(tx, ctx.platform.keys, principal, {
          connectionId: args.id.id,
          displayName: args.displayName,
          settings: args.settings ? parseJsonObject(args.settings, 'settings') : null,
          syncIntervalMinutes: args.syncIntervalMinutes,
          paused: args.paused,
          origin: ctx.origin,
        }),
      ),
  }),
);

builder.mutationField('syncConnectionNow', (t) =>
  t.field({
    type: ConnectionRef,
    description: 'Admins: queue every stream of the connection now (a stream already waiting is not queued twice).',
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.connection.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: ConnectionRef }) },
    resolve: (_root, args, ctx) =>
      ctx.tenant(async (tx, principal) => {
        const connection = await tx.connection.findUnique({ where: { id: args.id.id } });
        if (!connection) throw new UserFacingError('No connection with that id.', 'NOT_FOUND');
        requirePracticeRole(principal, connection.practiceId, 'admin');
        const connector = connectorOrThrow(connection.connectorId);
        if (connector.status !== 'available') throw new UserFacingError(`${connector.displayName} is coming soon and cannot sync yet.`, 'BAD_USER_INPUT');
        for (const stream of connector.streams) {
          await queueSync(ctx.platform.jobs, connector.id, { connectionId: connection.id, practiceId: connection.practiceId, stream: stream.name, trigger: 'manual' });
        }
        await recordAuditEvent(tx, {
          action: 'connection.sync_requested',
          practiceId: connection.practiceId,
          actor: { userId: principal.userId, tokenId: principal.tokenId },
          origin: ctx.origin,
          target: { type: 'connection', id: connection.id },
        });
        return connection;
      }),
  }),
);

const ConnectionTestRef = builder.simpleObject('ConnectionTest', {
  fields: (t) => ({
    ok: t.boolean(),
    message: t.string({ description: 'What was reached, or what to fix.' }),
  }),
});

builder.mutationField('testConnection', (t) =>
  t.field({
    type: ConnectionTestRef,
    description: 'Admins: try the stored settings with one cheap request and update the connection’s status.',
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.connection.findUnique({ where: { id: args.id.id }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: ConnectionRef }) },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) => testConnection(tx, ctx.platform.keys, principal, { connectionId: args.id.id, origin: ctx.origin })),
  }),
);
