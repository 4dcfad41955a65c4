import { readFileSync } from 'node:fs';

/** The browser script the platform serves at `/s.js` (read once; it is static). */
export const captureScript: string = readFileSync(new URL('../browser/s.js', import.meta.url), 'utf8');
