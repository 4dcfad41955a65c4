import { createHash } from 'node:crypto';
import { defineStream, emitted, FatalError, type RecordKind, type StreamDefinition } from '@sourceline/sdk';
import { z } from 'zod';
import { importCsvFile, type CsvFileSpec } from '../csv/import-file.ts';
import type { PmsCsvSettings } from '../settings.ts';
import { readExport } from '../source/read-export.ts';

const CsvCursor = z.object({
  /** Files imported so far. */
  imports: z.number().int().min(0),
  /** SHA-256 of the last imported file: the same export twice imports nothing. */
  sha256: z.string().nullable(),
});
type CsvCursor = z.infer<typeof CsvCursor>;

const emitChunk = 5_000;

/**
 * One export file per stream. Each export is a complete snapshot: it is validated whole, emitted with a single
 * commit (all or nothing), and rows missing from it compared with the previous export are marked deleted.
 */
export function createCsvStream<K extends RecordKind>(spec: CsvFileSpec<K>, description: string): StreamDefinition<PmsCsvSettings, CsvCursor> {
  return defineStream<PmsCsvSettings, CsvCursor>({
    name: spec.file,
    description,
    emits: [spec.kind],
    cursor: { schema: CsvCursor, compare: (a, b) => a.imports - b.imports },
    defaultIntervalMinutes: 60,
    async sync(ctx) {
      const fileName = ctx.settings.fileNames[spec.file];
      const text = await readExport(ctx, spec.file);
      if (text === undefined) {
        ctx.log.info('no export file yet', { file: fileName });
        return;
      }
      const previous = ctx.cursor.get() ?? { imports: 0, sha256: null };
      const sha256 = createHash('sha256').update(text).digest('hex');
      if (sha256 === previous.sha256) {
        ctx.log.info('export unchanged since the last import', { file: fileName });
        return;
      }
      const { records, issues } = importCsvFile(spec, text, fileName, ctx.settings);
      if (issues.length > 0) {
        const shown = issues.slice(0, 5).map((i) => `${i.record}, column "${i.field}": ${i.message}`).join('; ');
        throw new FatalError(`${fileName} has ${issues.length} problem(s), so nothing from it was imported. ${shown}${issues.length > 5 ? '; …' : ''}`);
      }
      for (let i = 0; i < records.length; i += emitChunk) {
        await ctx.emit(spec.kind, records.slice(i, i + emitChunk));
        ctx.progress(Math.min(i + emitChunk, records.length), records.length);
      }
      const { deleted } = await ctx.reconcile(spec.kind, records.map((r) => r.id));
      await ctx.cursor.set({ imports: previous.imports + 1, sha256 });
      ctx.log.info('imported export', { file: fileName, rows: records.length, deleted: deleted.length });
    },
    parse(payload, settings) {
      const { records, issues } = importCsvFile(spec, payload.body, payload.name, { ...settings, timeZone: settings.timeZone ?? 'UTC' });
      return { records: records.map((record) => emitted(spec.kind, record)), issues };
    },
  });
}
