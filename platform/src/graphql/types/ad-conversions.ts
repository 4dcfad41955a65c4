import { queueAdConversionUploads, requestAdConversionUpload } from '../../conversions/request-ad-conversion-upload.ts';
import type { GoogleAdsConversionUpload } from '../../generated/prisma/client.ts';
import { builder } from '../builder.ts';
import { adminOfRow } from '../row-scopes.ts';
import { ConnectionRef, PracticeRef } from './refs.ts';

const ConversionSkipCountRef = builder.simpleObject('ConversionSkipCount', {
  description: 'Patients matched to an ad click but not reported, for one reason.',
  fields: (t) => ({
    reason: t.string({
      description:
        'visit-day-not-over, click-after-visit, click-outside-window, malformed-click-id, negative-production, no-credit-under-model (external attribution: the default model gives Google Ads’ clicks no credit).',
    }),
    count: t.int(),
  }),
});

const ConversionRejectionRef = builder.simpleObject('ConversionRejection', {
  description: 'A conversion Google Ads refused: Sourceline’s order id for it (no PHI) and Google’s error code.',
  fields: (t) => ({ orderId: t.string(), code: t.string({ description: 'Google’s error code, e.g. CONVERSION_PRECEDES_EVENT or EVENT_NOT_FOUND.' }) }),
});

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

const GoogleAdsConversionUploadRef = builder.objectRef<GoogleAdsConversionUpload>('GoogleAdsConversionUpload');
GoogleAdsConversionUploadRef.implement({
  description: 'New patients of a range uploaded to a Google Ads conversion action as offline click conversions, and what Google answered.',
  fields: (t) => ({
    id: t.exposeID('id'),
    connection: t.field({ type: ConnectionRef, resolve: (u, _a, ctx) => ctx.tenant((tx) => tx.connection.findUniqueOrThrow({ where: { id: u.connectionId } })) }),
    conversionActionId: t.exposeString('conversionActionId'),
    conversionActionName: t.exposeString('conversionActionName', { nullable: true, description: 'As Google Ads names it, once the upload has read it.' }),
    from: t.string({ description: 'First-visit days, from (YYYY-MM-DD).', resolve: (u) => isoDate(u.rangeFrom) }),
    to: t.string({ description: 'First-visit days, to (YYYY-MM-DD), included.', resolve: (u) => isoDate(u.rangeTo) }),
    validateOnly: t.exposeBoolean('validateOnly', { description: 'A dry run: Google checked the conversions and kept none.' }),
    status: t.exposeString('status', { description: 'queued, running, succeeded (partial failures included) or failed.' }),
    attribution: t.exposeString('attribution', {
      nullable: true,
      description: '`external`: the action takes Sourceline’s credit under the default model (and credited production). `google`: Google attributes; the whole production and an order id were sent.',
    }),
    selected: t.exposeInt('selected', { description: 'New patients of the range matched to a lead with a Google click id.' }),
    sent: t.exposeInt('sent'),
    accepted: t.exposeInt('accepted'),
    alreadyUploaded: t.exposeInt('alreadyUploaded', { description: 'Google already had them (same order id, or same click and time): an earlier upload sent them.' }),
    rejected: t.exposeInt('rejected'),
    skipped: t.field({
      type: [ConversionSkipCountRef],
      resolve: (u) => Object.entries(u.skipped as Record<string, number>).map(([reason, count]) => ({ reason, count })),
    }),
    rejections: t.field({ type: [ConversionRejectionRef], description: 'The first 500.', resolve: (u) => u.rejections as { orderId: string; code: string }[] }),
    googleJobIds: t.exposeStringList('googleJobIds', { description: 'Google’s upload job ids, for diagnostics with Google support.' }),
    failure: t.exposeString('failure', { nullable: true, description: 'Why the upload stopped (or, while queued, why it will retry).' }),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(PracticeRef, 'googleAdsConversionUploads', (t) =>
  t.field({
    type: [GoogleAdsConversionUploadRef],
    description: 'Analysts and admins: the latest offline conversion uploads to Google Ads, newest first.',
    authScopes: (practice) => ({ practice: { id: practice.id, role: 'analyst' } }),
    args: { first: t.arg.int({ defaultValue: 10 }) },
    resolve: (practice, args, ctx) =>
      ctx.tenant((tx) =>
        tx.googleAdsConversionUpload.findMany({ where: { practiceId: practice.id }, orderBy: { requestedAt: 'desc' }, take: Math.min(Math.max(args.first ?? 10, 1), 50) }),
      ),
  }),
);

builder.mutationField('uploadGoogleAdsConversions', (t) =>
  t.field({
    type: GoogleAdsConversionUploadRef,
    description:
      'Admins: upload the new patients whose first visit is in the range (and who are matched to a lead with a Google click id) to a conversion action of a Google Ads connection, in the background. Click ids, times and values only: no names, phones or e-mails.',
    authScopes: (_root, args, ctx) => adminOfRow(ctx, (tx) => tx.connection.findUnique({ where: { id: args.connectionId.id }, select: { practiceId: true } })),
    args: {
      connectionId: t.arg.globalID({ required: true, for: ConnectionRef }),
      conversionActionId: t.arg.string({ required: true, description: 'The conversion action’s id in Google Ads (an “Import from clicks” action).' }),
      from: t.arg.string({ required: true }),
      to: t.arg.string({ required: true }),
      validateOnly: t.arg.boolean({ defaultValue: false, description: 'A dry run: Google checks every conversion and keeps none.' }),
    },
    resolve: async (_root, args, ctx) => {
      const upload = await ctx.tenant((tx, principal) =>
        requestAdConversionUpload(tx, principal, {
          connectionId: args.connectionId.id, conversionActionId: args.conversionActionId, from: args.from, to: args.to,
          validateOnly: args.validateOnly ?? false, origin: ctx.origin,
        }),
      );
      await queueAdConversionUploads(ctx.platform.jobs, upload.practiceId);
      return upload;
    },
  }),
);
