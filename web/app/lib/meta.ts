import type { Shell } from "~/lib/shell";

interface MatchLike {
  id: string;
  data: unknown;
}

/** The shell's data from inside a `meta` function (loaders' data is reachable there only through `matches`). */
export function shellFromMatches(matches: readonly MatchLike[]): Shell | undefined {
  return matches.find((m) => m.id === "routes/_app")?.data as Shell | undefined;
}

/** "Users · Bright Smiles Dental · Sourceline" */
export function pageTitle(...parts: Array<string | null | undefined>): Array<{ title: string }> {
  return [{ title: [...parts.filter(Boolean), "Sourceline"].join(" · ") }];
}

export function tenantNames(matches: readonly MatchLike[], params: { agencyId?: string; practiceId?: string; locationId?: string }) {
  const shell = shellFromMatches(matches);
  const agency = shell?.agencies.find((a) => a.id === params.agencyId);
  const practice = shell?.practices.find((p) => p.id === params.practiceId);
  const location = practice ? shell?.locations.find((l) => l.id === params.locationId) : undefined;
  return { agency: agency?.name, practice: practice?.name, location: location?.name };
}
