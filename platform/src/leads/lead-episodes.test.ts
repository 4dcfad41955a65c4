import { describe, expect, it } from 'vitest';
import { assignEpisodes, groupContactsByPerson, type Contact } from './lead-episodes.ts';

const day = (n: number, extraMs = 0) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000 + extraMs);
const contact = (id: string, at: Date, keys: string[], sourceSaysFirstContact: boolean | null = null): Contact => ({
  id, occurredAt: at, identityKeys: keys, sourceSaysFirstContact,
});

describe('grouping contacts by person', () => {
  it('joins contacts that share a phone or an e-mail, also through a third contact', () => {
    const call = contact('a', day(0), ['phone:1']);
    const form = contact('b', day(1), ['phone:1', 'email:x']);
    const chat = contact('c', day(2), ['email:x']);
    const stranger = contact('d', day(3), ['phone:2']);
    const anonymous = contact('e', day(4), []);
    const people = groupContactsByPerson([call, form, chat, stranger, anonymous]).map((p) => p.map((c) => c.id).sort());
    expect(people.sort()).toEqual([['a', 'b', 'c'], ['d'], ['e']]);
  });
});

describe('episodes of one person', () => {
  it('counts the first contact as first-time and later ones within the window as repeats of the same episode', () => {
    const episodes = assignEpisodes([contact('a', day(0), ['phone:1']), contact('b', day(10), ['phone:1']), contact('c', day(35), ['phone:1'])], 30);
    expect(Object.fromEntries(episodes)).toEqual({
      a: { episodeId: 'a', contactType: 'first-time' },
      b: { episodeId: 'a', contactType: 'repeat' },
      // 25 days after the previous contact: consecutive contacts keep the episode going.
      c: { episodeId: 'a', contactType: 'repeat' },
    });
  });

  it('keeps a contact exactly one window later in the episode, and opens a new one a millisecond after', () => {
    const same = assignEpisodes([contact('a', day(0), ['phone:1']), contact('b', day(30), ['phone:1'])], 30);
    expect(same.get('b')).toEqual({ episodeId: 'a', contactType: 'repeat' });
    const next = assignEpisodes([contact('a', day(0), ['phone:1']), contact('b', day(30, 1), ['phone:1'])], 30);
    expect(next.get('b')).toEqual({ episodeId: 'b', contactType: 'first-time' });
  });

  it('orders by time, not by arrival, so a late-arriving earlier contact takes the episode over', () => {
    const episodes = assignEpisodes([contact('late', day(5), ['phone:1']), contact('early', day(1), ['phone:1'])], 30);
    expect(episodes.get('early')).toEqual({ episodeId: 'early', contactType: 'first-time' });
    expect(episodes.get('late')).toEqual({ episodeId: 'early', contactType: 'repeat' });
  });

  it('decides by its own history even when the source disagrees', () => {
    const episodes = assignEpisodes([contact('a', day(0), ['phone:1'], false)], 30);
    expect(episodes.get('a')?.contactType).toBe('first-time');
  });

  it('takes the source’s word for a lead with no phone or e-mail, which it cannot place in any history', () => {
    expect(assignEpisodes([contact('a', day(0), [], false)], 30).get('a')).toEqual({ episodeId: 'a', contactType: 'repeat' });
    expect(assignEpisodes([contact('a', day(0), [], null)], 30).get('a')).toEqual({ episodeId: 'a', contactType: 'first-time' });
  });
});
