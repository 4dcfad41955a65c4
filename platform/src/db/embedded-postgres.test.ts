import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { socketDirectoryFor } from './embedded-postgres.ts';

describe('the embedded cluster socket directory', () => {
  it('is the data directory, made absolute, when its socket path fits', () => {
    expect(socketDirectoryFor('/tmp/sourceline-x/pg', 54329)).toBe('/tmp/sourceline-x/pg');
    expect(socketDirectoryFor('.data/pg', 54329)).toBe(path.resolve('.data/pg'));
  });

  it('is none (TCP only) when the socket path would pass 107 bytes or PostgreSQL would split the path', () => {
    const deep = `/tmp/${'d'.repeat(80)}/pg`; // 88 bytes + "/.s.PGSQL.54329" = 103: fits
    expect(socketDirectoryFor(deep, 54329)).toBe(deep);
    expect(socketDirectoryFor(`${deep}x/more`, 54329)).toBeNull();
    expect(socketDirectoryFor('/tmp/with space/pg', 54329)).toBeNull();
    expect(socketDirectoryFor('/tmp/with,comma/pg', 54329)).toBeNull();
  });
});
