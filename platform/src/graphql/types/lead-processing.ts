import type { LeadReprocessingRun } from '../../generated/prisma/client.ts';
import { changeThenReprocess, requestFullReprocessing } from '../../leads/lead-history-job.ts';
import { loadLeadSettings, updateLeadSettings, type LeadSettings } from '../../leads/lead-settings.ts';
import { builder } from '../builder.ts';
import { PracticeRef } from './refs.ts';

const LeadSettingsRef = builder.objectRef<LeadSettings>('LeadSettings');
LeadSettingsRef.implement({
  description: 'How a practice’s leads are processed.',
  fields: (t) => ({
    episodeWindowDays: t.exposeInt('episodeWindowDays', {
      description: 'A contact within this many days of the same person’s previous contact is a repeat of the same episode.',
    }),
  }),
});

const LeadReprocessingRunRef = builder.objectRef<LeadReprocessingRun>('LeadReprocessingRun');
LeadReprocessingRunRef.implement({
  description: 'Reprocessing a practice’s lead history after its channel rules or episode window changed.',
  fields: (t) => ({
    id: t.exposeID('id'),
    reasons: t.exposeStringList('reasons', { description: '`channel-rules` (reclassify) and/or `episode-window` (regroup).' }),
    status: t.exposeString('status', { description: 'queued, running, succeeded or failed (retried automatically).' }),
    leadsTotal: t.exposeInt('leadsTotal', { nullable: true }),
    leadsDone: t.exposeInt('leadsDone'),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    failure: t.exposeString('failure', { nullable: true }),
  }),
});

builder.objectFields(PracticeRef, (t) => ({
  leadSettings: t.field({ type: LeadSettingsRef, resolve: (practice, _args, ctx) => ctx.tenant((tx) => loadLeadSettings(tx, practice.id)) }),
  leadReprocessingRuns: t.field({
    type: [LeadReprocessingRunRef],
    description: 'The latest reprocessing runs, newest first: progress after a rules or window change.',
    args: { first: t.arg.int({ defaultValue: 5 }) },
    resolve: (practice, args, ctx) =>
      ctx.tenant((tx) =>
        tx.leadReprocessingRun.findMany({
          where: { practiceId: practice.id },
          orderBy: { requestedAt: 'desc' },
          take: Math.min(Math.max(args.first ?? 5, 1), 50),
        }),
      ),
  }),
}));

builder.mutationField('updateLeadSettings', (t) =>
  t.field({
    type: LeadSettingsRef,
    description: 'Admins: change the episode window. A new window regroups the practice’s history in the background.',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: { practiceId: t.arg.globalID({ required: true, for: PracticeRef }), episodeWindowDays: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) =>
      changeThenReprocess(ctx, async (tx, principal) => {
        const { settings, windowChanged } = await updateLeadSettings(tx, principal, {
          practiceId: args.practiceId.id, episodeWindowDays: args.episodeWindowDays, origin: ctx.origin,
        });
        return { practiceId: args.practiceId.id, result: settings, reasons: windowChanged ? ['episode-window'] : [] };
      }),
  }),
);

builder.mutationField('reprocessLeadHistory', (t) =>
  t.field({
    type: LeadReprocessingRunRef,
    description: 'Admins: reclassify and regroup all of the practice’s leads again (after a failed run, or new ad data).',
    authScopes: (_root, args) => ({ practice: { id: args.practiceId.id, role: 'admin' } }),
    args: { practiceId: t.arg.globalID({ required: true, for: PracticeRef }) },
    resolve: async (_root, args, ctx) => {
      const practiceId = args.practiceId.id;
      await changeThenReprocess(ctx, async (tx, principal) => {
        await requestFullReprocessing(tx, principal, { practiceId, origin: ctx.origin });
        return { practiceId, result: null, reasons: ['channel-rules', 'episode-window'] };
      });
      return ctx.tenant((tx) => tx.leadReprocessingRun.findFirstOrThrow({ where: { practiceId }, orderBy: { requestedAt: 'desc' } }));
    },
  }),
);
