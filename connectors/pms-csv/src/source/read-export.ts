import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SyncContext } from '@sourceline/sdk';
import type { CsvFileKind, PmsCsvSettings } from '../settings.ts';

/** The export's text, or undefined when the practice has not provided that file. */
export async function readExport(ctx: SyncContext<PmsCsvSettings, unknown>, file: CsvFileKind): Promise<string | undefined> {
  const { source, fileNames } = ctx.settings;
  if (source.type === 'directory') {
    try {
      return await readFile(join(source.path, fileNames[file]), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  const url = source[file];
  if (url === undefined) return undefined;
  return (await ctx.http.request({ url })).text;
}
