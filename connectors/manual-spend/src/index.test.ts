import { describe, expect, it } from 'vitest';
import connector from './index.ts';

describe('the manual spend connector', () => {
  it('is available, needs no settings, and neither pulls nor receives anything', () => {
    expect(connector).toMatchObject({ id: 'manual-spend', kind: 'lead-source', status: 'available', streams: [], webhooks: [] });
    expect(connector.settings.safeParse({}).success).toBe(true);
  });
});
