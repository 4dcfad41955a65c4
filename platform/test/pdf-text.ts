import { execFileSync } from 'node:child_process';

/**
 * The PDF's text, page by page (form feeds between pages), as Debian's poppler-utils reads it: pdfkit compresses its
 * content streams, so the bytes themselves hide what a page says.
 */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}
