import { notFound } from "~/lib/graphql.server";
import { isId, toGlobalId } from "~/lib/ids";

const MESSAGES = {
  agencyId: "We couldn't find that agency, or you don't have access to it.",
  practiceId: "We couldn't find that practice, or you don't have access to it.",
  locationId: "We couldn't find that location in this practice.",
} as const;

const TYPES = { agencyId: "Agency", practiceId: "Practice", locationId: "Location" } as const;

/** The Relay global id for a tenant id in the URL; a malformed id is a 404, like an unknown one. */
export function tenantGlobalId(params: Record<string, string | undefined>, key: keyof typeof TYPES): string {
  const id = params[key];
  if (!isId(id)) notFound(MESSAGES[key]);
  return toGlobalId(TYPES[key], id);
}

export function tenantNotFound(key: keyof typeof TYPES): never {
  notFound(MESSAGES[key]);
}
