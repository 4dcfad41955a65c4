/** One contact as episode grouping sees it: when, who (identity digests), and what the source said about it. */
export interface Contact {
  id: string;
  occurredAt: Date;
  /** `<kind>:<digest>` of the lead's phone and e-mail identifiers; empty when the lead carried neither. */
  identityKeys: readonly string[];
  /** The source's own first-contact flag (CallRail `first_call`): evidence, not the decision. */
  sourceSaysFirstContact: boolean | null;
}

export type ContactType = 'first-time' | 'repeat';

export interface EpisodeAssignment {
  /** The id of the episode's first contact: a pure function of the person's contacts, so recomputing is idempotent. */
  episodeId: string;
  contactType: ContactType;
}

const DAY_MS = 86_400_000;

/**
 * Splits contacts into people: two contacts are the same person when they share a phone or an e-mail, directly or
 * through other contacts (a call from a number, then a form with that number and an e-mail, then an e-mail-only form).
 */
export function groupContactsByPerson(contacts: readonly Contact[]): Contact[][] {
  const parent = contacts.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const firstWithKey = new Map<string, number>();
  contacts.forEach((contact, i) => {
    for (const key of contact.identityKeys) {
      const seen = firstWithKey.get(key);
      if (seen === undefined) firstWithKey.set(key, i);
      else parent[find(i)] = find(seen);
    }
  });
  const people = new Map<number, Contact[]>();
  contacts.forEach((contact, i) => {
    const root = find(i);
    people.set(root, [...(people.get(root) ?? []), contact]);
  });
  return [...people.values()];
}

/**
 * One person's contacts as episodes: in time order, a contact within `windowDays` of the person's previous contact
 * continues that episode and is a repeat; a longer gap (or the first contact) opens a new episode and counts as a new,
 * first-time lead. Exactly `windowDays` apart is still the same episode.
 *
 * The platform decides from its own history. The source's flag only decides for a lead that carries no phone or
 * e-mail — there the platform has no history to consult, and a source that recognised a returning caller knows more.
 */
export function assignEpisodes(personContacts: readonly Contact[], windowDays: number): Map<string, EpisodeAssignment> {
  const result = new Map<string, EpisodeAssignment>();
  if (personContacts.length === 1 && personContacts[0]!.identityKeys.length === 0) {
    const [only] = personContacts as [Contact];
    result.set(only.id, { episodeId: only.id, contactType: only.sourceSaysFirstContact === false ? 'repeat' : 'first-time' });
    return result;
  }
  const ordered = [...personContacts].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const windowMs = windowDays * DAY_MS;
  let episodeId = '';
  let previous: Contact | null = null;
  for (const contact of ordered) {
    const continues = previous !== null && contact.occurredAt.getTime() - previous.occurredAt.getTime() <= windowMs;
    if (!continues) episodeId = contact.id;
    result.set(contact.id, { episodeId, contactType: continues ? 'repeat' : 'first-time' });
    previous = contact;
  }
  return result;
}
