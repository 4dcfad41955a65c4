import { defineStream, FatalError, type RawPayload } from '@sourceline/sdk';
import { z } from 'zod';
import { mapSubmissions } from './acme-lead.ts';
import type { AcmeFormsSettings } from './settings.ts';

/** Acme lists submissions in id order: `GET /submissions?after=<id>` returns the next page and whether there is more. */
const Cursor = z.object({ afterId: z.number().int().min(0) });
type Cursor = z.infer<typeof Cursor>;

const Page = z.object({ data: z.array(z.unknown()), has_more: z.boolean() });

function parsePage(payload: RawPayload) {
  const page = Page.safeParse(safeJson(payload.body));
  if (!page.success) return { leads: [], issues: [{ record: payload.name, field: '(page)', message: 'not an Acme submissions page' }], hasMore: false };
  return { ...mapSubmissions(page.data.data, payload.name), hasMore: page.data.has_more };
}

export const submissionsStream = defineStream<AcmeFormsSettings, Cursor>({
  name: 'submissions',
  description: 'Form submissions, pulled in id order',
  emits: ['lead'],
  cursor: { schema: Cursor, compare: (a, b) => a.afterId - b.afterId },
  async sync(ctx) {
    let afterId = ctx.cursor.get()?.afterId ?? 0;
    for (;;) {
      const response = await ctx.http.request({
        url: `${ctx.settings.baseUrl}/submissions`,
        query: { after: afterId },
        headers: { authorization: `Bearer ${ctx.settings.apiKey}` },
      });
      const page = parsePage({ body: response.text, name: `submissions after ${afterId}` });
      if (page.issues.length > 0) throw new FatalError(`Acme Forms sent an unexpected page: ${page.issues[0]!.record} ${page.issues[0]!.field}`);
      if (page.leads.length === 0) return;
      await ctx.emit('lead', page.leads);
      afterId = Math.max(afterId, ...page.leads.map((l) => Number(l.id)));
      await ctx.cursor.set({ afterId }); // committed together with the leads just emitted
      ctx.progress(afterId);
      ctx.log.info('page synced', { leads: page.leads.length, afterId });
      if (!page.hasMore) return;
    }
  },
  parse(payload) {
    const { leads, issues } = parsePage(payload);
    return { records: leads.map((record) => ({ kind: 'lead', record })), issues };
  },
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
