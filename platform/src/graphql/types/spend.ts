import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Principal } from '../../auth/principal.ts';
import type { Tx } from '../../db/tenant-transaction.ts';
import { importSpendCsv } from '../../spend/import-spend-csv.ts';
import { findSpendItem, listSpend, type SpendItem } from '../../spend/list-spend.ts';
import type { ManualSpendEntryInput } from '../../spend/manual-spend-entry.ts';
import type { SpendImportProblem } from '../../spend/parse-spend-csv.ts';
import { addManualSpend, deleteManualSpend, updateManualSpend } from '../../spend/write-manual-spend.ts';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { adminOfRow } from '../row-scopes.ts';
import { ChannelEnum } from './channel.ts';
import { ConnectionRef, PracticeRef } from './refs.ts';

export const SpendEntryRef = builder.objectRef<SpendItem>('SpendEntry');

const SpendChannelOriginEnum = builder.enumType('SpendChannelOrigin', {
  values: {
    ENTERED: { value: 'entered', description: 'Named when the spend was entered or imported.' },
    CLASSIFIED: { value: 'classified', description: 'Classified from the source and medium an ad API reported, with the practice’s rules.' },
  } as const,
});

builder.node(SpendEntryRef, {
  description: 'Spend on one campaign on one day, in integer cents: from an ad API, or entered by the practice.',
  id: { resolve: (spend) => spend.id },
  loadOne: (id, ctx) => ctx.tenant((tx) => findSpendItem(tx, id)),
  fields: (t) => ({
    date: t.string({ description: 'YYYY-MM-DD.', resolve: (s) => s.date.toISOString().slice(0, 10) }),
    channel: t.field({ type: ChannelEnum, resolve: (s) => s.resolvedChannel }),
    channelOrigin: t.field({ type: SpendChannelOriginEnum, resolve: (s) => s.channelOrigin }),
    source: t.exposeString('source'),
    medium: t.exposeString('medium', { nullable: true }),
    campaign: t.exposeString('campaign'),
    adGroup: t.exposeString('adGroup', { nullable: true }),
    amountCents: t.int({ resolve: (s) => Number(s.costCents) }),
    currency: t.exposeString('currency'),
    clicks: t.exposeInt('clicks', { nullable: true }),
    impressions: t.exposeInt('impressions', { nullable: true }),
    editable: t.exposeBoolean('editable', { description: 'Entered in Sourceline (not from an ad API): admins may edit or delete it.' }),
    connection: t.field({ type: ConnectionRef, resolve: (s) => s.connection }),
  }),
});

const SpendEntryInput = builder.inputType('SpendEntryInput', {
  fields: (t) => ({
    date: t.string({ required: true, description: 'YYYY-MM-DD.' }),
    channel: t.field({ type: ChannelEnum, required: true }),
    source: t.string({ description: 'Defaults to "manual".' }),
    medium: t.string(),
    campaign: t.string({ description: 'Defaults to "(not set)".' }),
    amountCents: t.int({ required: true, description: 'Integer cents: $1,234.56 is 123456.' }),
    currency: t.string({ description: 'Three letters; defaults to USD.' }),
  }),
});

const SpendImportProblemRef = builder.objectRef<SpendImportProblem>('SpendImportProblem');
SpendImportProblemRef.implement({
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'The file’s line; the header is line 1.' }),
    column: t.exposeString('column', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const SpendImportRef = builder.simpleObject('SpendImport', {
  description: 'What an import did. With problems, nothing was written.',
  fields: (t) => ({
    rows: t.int(),
    inserted: t.int(),
    updated: t.int({ description: 'Rows already stored (same day, channel, source, medium and campaign), now with the file’s amount.' }),
    problems: t.field({ type: [SpendImportProblemRef] }),
  }),
});

builder.objectField(PracticeRef, 'spend', (t) =>
  t.field({
    type: [SpendEntryRef],
    description: 'Spend from every source, `from` to `to` (YYYY-MM-DD, inclusive, at most 366 days), newest day first.',
    args: { from: t.arg.string({ required: true }), to: t.arg.string({ required: true }) },
    resolve: (practice, args, ctx) => ctx.tenant((tx) => listSpend(tx, practice.id, { from: args.from, to: args.to })),
  }),
);

const entryOf = (input: typeof SpendEntryInput.$inferInput): ManualSpendEntryInput => ({ ...input });

/** The stored row as the API shows it, read in the same transaction that wrote it. */
function written(ctx: GraphQLContext, write: (tx: Tx, principal: Principal) => Promise<{ id: string }>): Promise<SpendItem> {
  return ctx.tenant(async (tx, principal) => {
    const { id } = await write(tx, principal);
    const item = await findSpendItem(tx, id);
    if (!item) throw new Error(`spend ${id} was written but cannot be read back`);
    return item;
  });
}

builder.mutationField('addSpendEntry', (t) =>
  t.field({
    type: SpendEntryRef,
    description: 'Admins: enter spend for a channel without an API (print, radio, directories). Amounts are integer cents.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: { practiceId: t.arg.globalID({ required: true, for: PracticeRef }), entry: t.arg({ type: SpendEntryInput, required: true }) },
    resolve: (_root, args, ctx) =>
      written(ctx, (tx, principal) => addManualSpend(tx, ctx.platform.keys, principal, { practiceId: args.practiceId.id, entry: entryOf(args.entry), origin: ctx.origin })),
  }),
);

builder.mutationField('updateSpendEntry', (t) =>
  t.field({
    type: SpendEntryRef,
    description: 'Admins: change spend entered in Sourceline (spend from ad APIs changes at its source).',
    authScopes: (_root, args, ctx) =>
      adminOfRow(ctx, (tx) => tx.spend.findFirst({ where: { id: args.id.id, deletedAt: null }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: SpendEntryRef }), entry: t.arg({ type: SpendEntryInput, required: true }) },
    resolve: (_root, args, ctx) =>
      written(ctx, (tx, principal) => updateManualSpend(tx, ctx.platform.keys, principal, { id: args.id.id, entry: entryOf(args.entry), origin: ctx.origin })),
  }),
);

builder.mutationField('deleteSpendEntry', (t) =>
  t.field({
    type: 'ID',
    description: 'Admins: remove spend entered in Sourceline; answers its id.',
    authScopes: (_root, args, ctx) =>
      adminOfRow(ctx, (tx) => tx.spend.findFirst({ where: { id: args.id.id, deletedAt: null }, select: { practiceId: true } })),
    args: { id: t.arg.globalID({ required: true, for: SpendEntryRef }) },
    resolve: async (_root, args, ctx) => {
      const row = await ctx.tenant((tx, principal) => deleteManualSpend(tx, principal, { id: args.id.id, origin: ctx.origin }));
      return encodeGlobalID('SpendEntry', row.id);
    },
  }),
);

builder.mutationField('importSpendCsv', (t) =>
  t.field({
    type: SpendImportRef,
    description:
      'Admins: import a spend CSV — columns date, channel (or source and medium, or source/medium), campaign, amount, optional currency. ' +
      'All or nothing: with any problem, nothing is written and every problem is listed by line and column.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: { practiceId: t.arg.globalID({ required: true, for: PracticeRef }), csv: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) =>
      ctx.tenant((tx, principal) => importSpendCsv(tx, ctx.platform.keys, principal, { practiceId: args.practiceId.id, csv: args.csv, origin: ctx.origin })),
  }),
);
