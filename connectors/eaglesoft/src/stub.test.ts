import { NotImplementedError } from '@sourceline/sdk';
import { runStream } from '@sourceline/sdk/testkit';
import { describe, expect, it } from 'vitest';
import connector from './index.ts';

describe('the Eaglesoft connector is a declared stub', () => {
  it('is listed as coming soon with real metadata and settings', () => {
    expect(connector).toMatchObject({ id: 'eaglesoft', kind: 'pms', displayName: 'Eaglesoft', status: 'coming-soon' });
    expect(connector.settings.safeParse({ timeZone: 'America/Chicago' }).success).toBe(true);
  });

  it('fails every sync with a plain "not implemented yet" error', async () => {
    for (const stream of connector.streams) {
      const run = runStream({ connector, stream: stream.name, settings: { timeZone: 'America/Chicago' } });
      await expect(run).rejects.toBeInstanceOf(NotImplementedError);
      await expect(run).rejects.toThrow(/Eaglesoft connector is not implemented yet/);
    }
  });
});
